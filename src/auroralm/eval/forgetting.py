"""Forgetting report: every metric of every stage against the starting stage, flagged when worse beyond noise."""

from __future__ import annotations

# metric path -> True when higher is better
_RATES = {("safety", "refusal_rate"): True, ("safety", "attack_success_rate"): False,
          ("safety", "over_refusal_rate"): False}
RELATIVE_NOISE = 0.02  # without confidence intervals, a bits-per-byte change under 2% is treated as noise


def _metrics(result: dict) -> dict[str, tuple[float, list[float] | None, bool]]:
    """name -> (value, CI or None, higher_is_better)."""
    out = {}
    for lang, v in result.get("bits_per_byte", {}).items():
        out[f"bits_per_byte.{lang}"] = (v, result.get("bits_per_byte_ci", {}).get(lang), False)
    for bench, r in result.get("code", {}).items():
        out[f"code.{bench}.pass@1"] = (r["pass@1"], r.get("pass@1_ci"), True)
    for (section, key), higher in _RATES.items():
        if key in result.get(section, {}):
            out[f"{section}.{key}"] = (result[section][key], result[section].get(f"{key}_ci"), higher)
    return out


def _worse_beyond_noise(value, ci, base, base_ci, higher: bool) -> bool:
    if ci and base_ci:  # the intervals do not overlap, in the bad direction
        return ci[1] < base_ci[0] if higher else ci[0] > base_ci[1]
    change = (value - base) / abs(base) if base else 0.0
    return change < -RELATIVE_NOISE if higher else change > RELATIVE_NOISE


def forgetting_report(results: dict[str, dict], baseline: str) -> dict:
    """Rows of (stage, metric, base, value, delta, worse) for every stage after ``baseline``."""
    base = _metrics(results[baseline])
    rows = []
    for stage, result in results.items():
        if stage == baseline:
            continue
        for name, (value, ci, higher) in _metrics(result).items():
            if name not in base:
                continue
            b, b_ci, _ = base[name]
            rows.append({"stage": stage, "metric": name, "base": b, "value": value,
                         "delta": round(value - b, 4), "higher_is_better": higher,
                         "worse": _worse_beyond_noise(value, ci, b, b_ci, higher)})
    return {"baseline": baseline, "rows": rows, "flagged": [r for r in rows if r["worse"]]}


def format_report(report: dict) -> str:
    lines = [f"forgetting check against '{report['baseline']}' (worse beyond noise is flagged):"]
    for r in report["rows"]:
        flag = "  WORSE" if r["worse"] else ""
        lines.append(f"  {r['stage']:<6} {r['metric']:<34} {r['base']:>8.4f} → {r['value']:>8.4f} "
                     f"({r['delta']:+.4f}){flag}")
    return "\n".join(lines)
