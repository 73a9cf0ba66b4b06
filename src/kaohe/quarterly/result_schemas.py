"""Quarterly results over the API: one person's result with its breakdown, and a computation's summary."""

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict


class ResultRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    staff_id: int
    employee_no: str
    name: str
    department: str
    record_score: Decimal
    indicator_score: Decimal
    quarterly_score: Decimal | None
    record_weight: Decimal
    flags: list[str]
    notes: str
    breakdown: dict[str, Any]
    scheme_version: int | None
    scheme_hash: str
    inputs_hash: str


class ComputeRead(BaseModel):
    year: int
    quarter: int
    people: int
    changed: int
    flagged: int
    digest: str
