"""What the scheme says about collecting metrics, pure: quarters, data sources, the indicators each source
feeds, the range a value must lie in, the default column mapping, and the daily-record figures.

No session and no clock: the scheme comes in as data, answers go out as data.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from kaohe.errors import Invalid
from kaohe.messages import t
from kaohe.org.enums import Level, PostCategory
from kaohe.scheme.indicators import Indicator, Quantitative
from kaohe.scheme.models import Scheme
from kaohe.scheme.tree import indicators_for, leaves, library

# The source whose figures are computed from the daily records, never imported or typed (R1, Q2).
DAILY_RECORDS = "daily_records"
EMPLOYEE_COLUMN = "工号"  # the default header of the 工号 column, as every export of the unit names it

_QUARTER_NAMES = "一二三四"
_QUARTER = re.compile(r"\s*(\d{4})\s*(?:[-_/ ]?\s*[Qq]\s*([1-4])|年\s*第?\s*([1-4一二三四])\s*季度?)\s*")


@dataclass(frozen=True, order=True)
class Quarter:
    """A quarter of an appraisal year, named by the year and its number (1–4)."""

    year: int
    number: int

    @property
    def key(self) -> str:
        """As addresses and commands write it: 2026-Q3."""
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        """As people say it: 2026年第三季度."""
        return t("metrics.quarter.label", year=self.year, name=_QUARTER_NAMES[self.number - 1])


def parse_quarter(text: str) -> Quarter:
    """2026Q3, 2026-Q3, 2026q3, 2026年第三季度 or 2026年第3季度 as a Quarter; Invalid otherwise."""
    match = _QUARTER.fullmatch(text or "")
    if match is None:
        raise Invalid(t("metrics.quarter.invalid", value=(text or "")[:20]))
    number = match.group(2) or match.group(3)
    quarter = Quarter(int(match.group(1)), _QUARTER_NAMES.index(number) + 1 if number in _QUARTER_NAMES else int(number))
    if not 2000 <= quarter.year <= 2100:
        raise Invalid(t("metrics.quarter.invalid", value=text[:20]))
    return quarter


def quarter_of(year: int, number: int) -> Quarter:
    """The quarter of a year and number given separately (forms, the API); Invalid out of range."""
    if not 2000 <= year <= 2100 or not 1 <= number <= 4:
        raise Invalid(t("metrics.quarter.invalid", value=f"{year}-Q{number}"))
    return Quarter(year, number)


def source_names(scheme: Scheme) -> dict[str, str]:
    """Each data source's key → its name in the scheme."""
    return {source.key: source.name for source in scheme.data_sources}


def _quantitative(node: Indicator) -> Quantitative | None:
    return node.measure if isinstance(node.measure, Quantitative) else None


def source_leaves(scheme: Scheme, source: str) -> dict[str, Indicator]:
    """The quantitative leaves of the whole library (base tree, post templates, post sets) whose measure
    names `source` as its data source, by code, in the library's order."""
    out: dict[str, Indicator] = {}
    for located in library(scheme):
        measure = _quantitative(located.node)
        if located.node.is_leaf and measure is not None and measure.data_source == source:
            out.setdefault(located.node.code, located.node)
    return out


def collected_sources(scheme: Scheme) -> list[str]:
    """The keys of the sources at least one quantitative indicator is collected from, in scheme order."""
    return [source.key for source in scheme.data_sources if source_leaves(scheme, source.key)]


def person_leaves(scheme: Scheme, *, category: PostCategory, level: Level, department: str | None,
                  post: str | None) -> list[Indicator]:
    """The quantitative leaves of the tree that applies to one post (the base tree with its overlays)."""
    tree = indicators_for(scheme, category=category, level=level, department=department, post=post)
    return [node for node in leaves(tree) if _quantitative(node) is not None]


def data_source_of(node: Indicator) -> str:
    measure = _quantitative(node)
    return measure.data_source if measure is not None else ""


# --- the range of a value ------------------------------------------------------------------------------

PERCENT_UNITS = frozenset({"%", "％"})
SCORE_UNITS = frozenset({"分"})
# Units that count things: a whole number, never negative.
COUNT_UNITS = frozenset({"次", "项", "个", "件", "人", "篇", "天"})
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ValueRule:
    """What a value of one indicator may be, from its unit: a percent or a score 0–100, a count a whole
    number from 0, any other unit any finite number."""

    kind: str  # "percent", "score", "count" or "number"
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def percent(self) -> bool:
        return self.kind == "percent"

    def refusal(self, value: Decimal) -> str | None:
        """Why `value` cannot be this indicator's value, in Chinese; None when it can."""
        if self.kind == "count" and value != value.to_integral_value():
            return t("metrics.value.not_whole", value=shown(value))
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            return t(f"metrics.value.range_{self.kind}", value=shown(value), low=shown(self.low or 0),
                     high=shown(self.high or 0))
        return None


def value_rule(node: Indicator) -> ValueRule:
    measure = _quantitative(node)
    unit = (measure.unit if measure is not None else "").strip()
    if unit in PERCENT_UNITS:
        return ValueRule("percent", Decimal(0), HUNDRED)
    if unit in SCORE_UNITS:
        return ValueRule("score", Decimal(0), HUNDRED)
    if unit in COUNT_UNITS:
        return ValueRule("count", Decimal(0), None)
    return ValueRule("number")


def unit_of(node: Indicator) -> str:
    measure = _quantitative(node)
    return measure.unit if measure is not None else ""


def shown(value: Decimal | int | float) -> str:
    """A number as a person writes it: 95, 95.5, 0.25 (no trailing zeros, no exponent)."""
    number = Decimal(str(value))
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- the column mapping ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ColumnMapping:
    """Which header holds the 工号 and which holds each indicator (code → header); unmapped indicators
    are not read from the file."""

    employee_column: str
    columns: dict[str, str]


def default_mapping(scheme: Scheme, source: str) -> ColumnMapping:
    """The proposal before HR saves one: the 工号 column, and each indicator under its own name."""
    return ColumnMapping(EMPLOYEE_COLUMN, {code: node.name for code, node in source_leaves(scheme, source).items()})


def mapping_problems(mapping: ColumnMapping, allowed: Iterable[str]) -> list[str]:
    """Why a mapping cannot be saved, in Chinese: an indicator of another source, no 工号 column, no
    indicator at all, one header for two columns."""
    problems: list[str] = []
    allowed = set(allowed)
    foreign = [code for code in mapping.columns if code not in allowed]
    if foreign:
        problems.append(t("metrics.mapping.foreign", codes="、".join(foreign)))
    if not mapping.employee_column.strip():
        problems.append(t("metrics.mapping.no_employee_column"))
    headers = [header for header in mapping.columns.values() if header.strip()]
    if not headers:
        problems.append(t("metrics.mapping.empty"))
    seen: set[str] = {mapping.employee_column.strip()}
    for header in headers:
        if header.strip() in seen:
            problems.append(t("metrics.mapping.repeated", header=header.strip()))
        seen.add(header.strip())
    return problems


# --- figures from the daily records ----------------------------------------------------------------------

# A daily-records leaf is collected when one of these figures measures it; the figure is chosen by what
# the indicator's name says it measures. The records hold no trace of the others (理论学习, 培训达标,
# 差错, 违纪 …), so those are shown as not collectable rather than invented.
RECORD_FIGURES: dict[str, tuple[str, ...]] = {
    "timeliness": ("记录及时率", "录入及时率", "工作记录及时"),
}


def record_figure(node: Indicator) -> str | None:
    """The records figure that measures `node`, or None when the records cannot give one."""
    for figure, words in RECORD_FIGURES.items():
        if any(word in node.name for word in words):
            return figure
    return None


def timeliness(submitted: int, late: int) -> Decimal | None:
    """The share of records entered within the time limit, in percent (R3), as the record score counts
    it (kaohe.scoring.records: 1 − late ÷ submitted); None when nothing was recorded."""
    if submitted <= 0:
        return None
    return (Decimal(submitted - late) * HUNDRED / Decimal(submitted)).quantize(Decimal("0.01"))
