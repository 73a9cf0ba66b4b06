"""Closed vocabularies of the appraisal scheme (values are the YAML spellings)."""

from enum import StrEnum


class Part(StrEnum):
    """The three parts of the indicator library (S1)."""

    common = "common"  # 共性指标
    individual = "individual"  # 个性指标
    innovation = "innovation"  # 创新指标


class Direction(StrEnum):
    higher_better = "higher_better"
    lower_better = "lower_better"


class Scale(StrEnum):
    five_point = "five_point"  # 1–5
    hundred = "hundred"  # 0–100


class Grade(StrEnum):
    """The five grades (G1), best first."""

    excellent = "excellent"  # 优秀
    good = "good"  # 良好
    qualified = "qualified"  # 合格
    basic = "basic"  # 基本合格
    unqualified = "unqualified"  # 不合格


GRADE_ORDER: tuple[Grade, ...] = tuple(Grade)


class QuotaScope(StrEnum):
    unit = "unit"
    department = "department"


class Rounding(StrEnum):
    floor = "floor"
    ceil = "ceil"
    round = "round"


class Composition(StrEnum):
    """How the annual result composes the quarterly ones (Q1)."""

    mean = "mean"
    weighted = "weighted"
