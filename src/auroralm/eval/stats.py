"""Small statistics shared by the evaluations."""

from __future__ import annotations

import random


def bootstrap_ci(values: list[bool] | list[float], samples: int = 1000, seed: int = 0) -> list[float]:
    """95% percentile bootstrap interval of a mean (e.g. a rate over prompts or problems)."""
    if not values:
        return [0.0, 0.0]
    rng = random.Random(seed)
    n = len(values)
    means = sorted(sum(rng.choices(values, k=n)) / n for _ in range(samples))
    return [round(means[int(0.025 * samples)], 4), round(means[int(0.975 * samples) - 1], 4)]
