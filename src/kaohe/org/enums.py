"""Closed vocabularies of the organisation; their Chinese labels live in the catalogue (messages/enum.py)."""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from kaohe.auth.roles import Role, Scope
from kaohe.messages import CATALOGUE, enum_key


class DepartmentKind(StrEnum):
    general = "general"  # 综合管理
    frontline = "frontline"  # 业务一线
    tech_support = "tech_support"  # 技术支撑
    logistics = "logistics"  # 后勤保障


class PostCategory(StrEnum):
    management = "management"  # 管理岗
    technical = "technical"  # 专业技术岗
    service = "service"  # 工勤技能岗


class Level(StrEnum):
    junior = "junior"  # 初级
    intermediate = "intermediate"  # 中级
    senior = "senior"  # 高级


class StaffStatus(StrEnum):
    active = "active"  # 在职
    inactive = "inactive"  # 停用


# The vocabularies that have Chinese labels, in the catalogue as "enum.<vocabulary>.<value>".
LABELLED: tuple[type[StrEnum], ...] = (DepartmentKind, PostCategory, Level, StaffStatus, Role, Scope)


def label(value: StrEnum) -> str:
    """Chinese label of an enum member."""
    return CATALOGUE[enum_key(value)]


def parse_label(enum: type[StrEnum], text: str) -> StrEnum | None:
    """The member whose value or Chinese label is `text`, or None."""
    text = text.strip()
    for member in enum:
        if text in (member.value, label(member)):
            return member
    return None


# Every labelled member → its label, read from the catalogue (for code that looks labels up by member).
LABELS: Mapping[StrEnum, str] = MappingProxyType({member: label(member) for enum in LABELLED for member in enum})
