"""Time `assign_grades` on 100,000 people against a naive pure-Python loop, in the same run.

Not part of the test suite. Run: .venv/bin/python bench/bench_grading.py [people]
Both implementations apply the same rules (bands, veto, excellent cap, unqualified floor, per
department); the script checks that they agree before printing the timings.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from kaohe.scoring.grading import GradeBand, QuotaRule, assign_grades

BANDS = [GradeBand("excellent", 95), GradeBand("good", 85), GradeBand("qualified", 75), GradeBand("basic", 60),
         GradeBand("unqualified", 0)]
QUOTAS = [QuotaRule("excellent", max_share=20, rounding="floor"),
          QuotaRule("unqualified", min_share=5, rounding="ceil")]


def naive(scores: list[float], vetoed: list[bool], groups: list[int]) -> list[str]:
    """One person at a time, one group at a time: the obvious loop."""
    codes = [band.code for band in BANDS]
    ranks = []
    for score, veto in zip(scores, vetoed, strict=True):
        rank = len(BANDS) - 1
        for index, band in enumerate(BANDS):
            if score >= band.min_score:
                rank = index
                break
        ranks.append(len(BANDS) - 1 if veto else rank)
    members: dict[int, list[int]] = {}
    for person, group in enumerate(groups):
        members.setdefault(group, []).append(person)
    for people in members.values():
        people.sort(key=lambda p: (-scores[p], p))
        cap = math.floor(round(20 * len(people) / 100, 9))
        seen = 0
        for p in people:
            if ranks[p] == 0:
                seen += 1
                if seen > cap:
                    ranks[p] = 1
        floor = math.ceil(round(5 * len(people) / 100, 9))
        missing = floor - sum(1 for p in people if ranks[p] == 4)
        for p in reversed(people):
            if missing <= 0:
                break
            if ranks[p] < 4:
                ranks[p] = 4
                missing -= 1
    return [codes[r] for r in ranks]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = np.random.default_rng(2026)
    scores = np.round(rng.normal(84, 8, n).clip(0, 100), 2)
    vetoed = rng.random(n) < 0.002
    groups = rng.integers(0, 40, n)

    plain = (scores.tolist(), vetoed.tolist(), groups.tolist())
    vectorised = loop = float("inf")
    for _ in range(3):  # best of three for both
        start = time.perf_counter()
        fast = assign_grades(scores, vetoed, BANDS, QUOTAS, groups=groups)
        vectorised = min(vectorised, time.perf_counter() - start)
        start = time.perf_counter()
        slow = naive(*plain)
        loop = min(loop, time.perf_counter() - start)

    assert list(fast) == slow, "the two implementations disagree"
    print(f"people: {n:,} in 40 departments (best of 3)")
    print(f"assign_grades (NumPy): {vectorised * 1000:.1f} ms")
    print(f"pure-Python loop:      {loop * 1000:.1f} ms")
    print(f"ratio:                 {loop / vectorised:.1f}×")


if __name__ == "__main__":
    main()
