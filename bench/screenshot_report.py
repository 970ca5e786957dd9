"""Render a run's report.html to PNG with headless Chromium, for people to look at.

Builds the report first when it is missing (or with --rebuild). The page is shot in one tall window,
the blank space below the page is trimmed, and --tile cuts the result into screen-sized pieces that an
image viewer shows at full resolution.

    .venv/bin/python bench/screenshot_report.py runs/smoke                # -> runs/smoke/report.png
    .venv/bin/python bench/screenshot_report.py runs/smoke --tile 1400    # also report_01.png, report_02.png, ...

Needs Chromium (`apt-get install chromium`); nothing is fetched over the network.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageChops

from auroralm.errors import AuroraError
from auroralm.report import write_report
from auroralm.report.html import screenshot


def trim_bottom(path: Path, margin: int = 40) -> tuple[int, int]:
    """Crop the page's empty area below its last content; return the new size."""
    img = Image.open(path).convert("RGB")
    box = ImageChops.difference(
        img, Image.new("RGB", img.size, img.getpixel((img.width - 1, img.height - 1)))
    ).getbbox()
    if box:
        img = img.crop((0, 0, img.width, min(img.height, box[3] + margin)))
    img.save(path)
    return img.size


def tiles(path: Path, height: int) -> list[Path]:
    img = Image.open(path)
    out = []
    for i, top in enumerate(range(0, img.height, height), start=1):
        piece = path.with_name(f"{path.stem}_{i:02d}.png")
        img.crop((0, top, img.width, min(img.height, top + height))).save(piece)
        out.append(piece)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("run_dir", type=Path, help="a run directory (the --out of `auroralm run`)")
    p.add_argument("--out", type=Path, help="PNG to write (default: RUN_DIR/report.png)")
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=16000, help="window height; must exceed the page (default: 16000)")
    p.add_argument("--tile", type=int, metavar="PX", help="also cut the shot into pieces this many pixels tall")
    p.add_argument("--rebuild", action="store_true", help="rebuild report.html even if it exists")
    p.add_argument("--chromium", help="path of the Chromium binary (default: found on PATH)")
    args = p.parse_args()
    try:
        html_path = args.run_dir / "report.html"
        if args.rebuild or not html_path.is_file():
            html_path, _ = write_report(args.run_dir)
        out = screenshot(html_path, args.out or args.run_dir / "report.png", args.width, args.height, args.chromium)
    except AuroraError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    width, height = trim_bottom(out)
    print(f"{out} ({width} x {height})")
    for piece in tiles(out, args.tile) if args.tile else []:
        print(piece)
    return 0


if __name__ == "__main__":
    sys.exit(main())
