"""The three warning rules of the quarter (Q5), pure: plain numbers in, the people who trigger out.

Every threshold comes from the scheme's `quarterly.warnings` (passed in as `Thresholds`), never from here.
Numbers are compared as decimals, so a score drop of exactly the margin is exactly the margin (no warning)
however the scores were stored.

- Satisfaction: the satisfaction indicator's value is below the threshold in each of the last
  `quarters` quarters, this one included (Q1 follows the previous year's last quarter). A quarter with no
  value breaks the run: nothing is known about it, so it is neither counted as low nor skipped over.
- Task progress: the task-progress indicator's value of this quarter is below the minimum. No value, no
  warning (the result already shows the value as missing).
- Score drop: the quarterly score fell by more than the margin from the person's previous quarter. A
  person without a score in either quarter (not computed, or records not judged) is not compared.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

Number = Decimal | float | int


class Kind(StrEnum):
    satisfaction = "satisfaction"  # 满意度连续偏低
    task_progress = "task_progress"  # 任务进度滞后
    score_drop = "score_drop"  # 季度得分下降


@dataclass(frozen=True)
class Thresholds:
    satisfaction_indicator: str
    satisfaction_threshold: Number
    satisfaction_quarters: int
    task_progress_indicator: str
    task_progress_min: Number
    score_drop_margin: Number


@dataclass(frozen=True)
class Raised:
    """One person who triggers one rule, with the figures that show why (JSON-ready)."""

    staff_id: int
    kind: Kind
    figures: dict[str, object]


def _dec(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _shown(value: Number) -> float:
    return float(_dec(value))


def quarter_code(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def run_of(year: int, quarter: int, count: int, per_year: int) -> list[tuple[int, int]]:
    """The `count` quarters ending with (year, quarter), oldest first; before Q1 comes the last quarter of
    the year before."""
    out = []
    for _ in range(count):
        out.append((year, quarter))
        year, quarter = (year - 1, per_year) if quarter == 1 else (year, quarter - 1)
    return out[::-1]


def previous_quarter(year: int, quarter: int, per_year: int) -> tuple[int, int]:
    return run_of(year, quarter, 2, per_year)[0]


def satisfaction_low(runs: Mapping[int, Sequence[Number | None]], *, threshold: Number,
                     quarters: int) -> dict[int, list[float]]:
    """People whose last `quarters` values (oldest first) are all present and all below `threshold`."""
    limit = _dec(threshold)
    out = {}
    for staff_id, values in runs.items():
        tail = list(values)[-quarters:] if quarters else []
        if len(tail) < quarters or any(v is None for v in tail):
            continue  # a missing quarter breaks the run
        if all(_dec(v) < limit for v in tail if v is not None):
            out[staff_id] = [_shown(v) for v in tail if v is not None]
    return out


def progress_lags(values: Mapping[int, Number | None], *, minimum: Number) -> dict[int, float]:
    """People whose task-progress value is below `minimum`."""
    limit = _dec(minimum)
    return {staff_id: _shown(v) for staff_id, v in values.items() if v is not None and _dec(v) < limit}


def score_drops(current: Mapping[int, Number | None], previous: Mapping[int, Number | None], *,
                margin: Number) -> dict[int, tuple[float, float, float]]:
    """People whose score fell by more than `margin`: (previous, current, drop)."""
    limit = _dec(margin)
    out = {}
    for staff_id, now in current.items():
        before = previous.get(staff_id)
        if now is None or before is None:
            continue
        drop = _dec(before) - _dec(now)
        if drop > limit:
            out[staff_id] = (_shown(before), _shown(now), _shown(drop))
    return out


def evaluate(*, year: int, quarter: int, per_year: int, rules: Thresholds,
             satisfaction: Mapping[tuple[int, int, int], Number], progress: Mapping[int, Number],
             scores: Mapping[int, Number | None], previous_scores: Mapping[int, Number | None],
             people: Sequence[int]) -> list[Raised]:
    """Every warning of the quarter for `people`, in (person, kind) order.

    `satisfaction` maps (person, year, quarter) to the satisfaction value of that quarter, for the quarters
    of the run; `progress` this quarter's task-progress values; `scores` and `previous_scores` the quarterly
    scores of this quarter and the one before."""
    run = run_of(year, quarter, rules.satisfaction_quarters, per_year)
    runs = {p: [satisfaction.get((p, y, q)) for y, q in run] for p in people}
    low = satisfaction_low(runs, threshold=rules.satisfaction_threshold, quarters=rules.satisfaction_quarters)
    lagging = progress_lags({p: progress.get(p) for p in people}, minimum=rules.task_progress_min)
    prev = previous_quarter(year, quarter, per_year)
    dropped = score_drops({p: scores.get(p) for p in people}, previous_scores, margin=rules.score_drop_margin)
    out: list[Raised] = []
    for p in sorted(set(people)):
        if p in low:
            out.append(Raised(p, Kind.satisfaction, {
                "indicator": rules.satisfaction_indicator, "threshold": _shown(rules.satisfaction_threshold),
                "quarters": [{"quarter": quarter_code(y, q), "value": v}
                             for (y, q), v in zip(run, low[p], strict=True)]}))
        if p in lagging:
            out.append(Raised(p, Kind.task_progress, {
                "indicator": rules.task_progress_indicator, "minimum": _shown(rules.task_progress_min),
                "quarters": [{"quarter": quarter_code(year, quarter), "value": lagging[p]}]}))
        if p in dropped:
            before, now, drop = dropped[p]
            out.append(Raised(p, Kind.score_drop, {
                "margin": _shown(rules.score_drop_margin), "drop": drop,
                "quarters": [{"quarter": quarter_code(*prev), "value": before},
                             {"quarter": quarter_code(year, quarter), "value": now}]}))
    return out
