import subprocess
import sys

import pytest

from auroralm.cli import build_parser, main

DESIGN_COMMANDS = ["run", "prepare", "clean", "plan", "train", "eval", "code-eval", "redteam", "export", "report"]


def test_help_lists_every_command():
    text = build_parser().format_help()
    for cmd in DESIGN_COMMANDS:
        assert cmd in text


def test_module_entry_point_prints_help():
    proc = subprocess.run([sys.executable, "-m", "auroralm", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "continual pretraining" in proc.stdout.lower()


@pytest.mark.parametrize("cmd", DESIGN_COMMANDS)
def test_every_subcommand_has_help_with_an_example(cmd, capsys):
    with pytest.raises(SystemExit) as e:
        main([cmd, "--help"])
    assert e.value.code == 0
    assert "example:" in capsys.readouterr().out
