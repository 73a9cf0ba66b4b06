"""What the metrics API and forms accept and answer."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from kaohe.web.inputs import Int, Text, Year

# Values leave as JSON numbers (95.37), not as the strings Pydantic writes for a Decimal.
Number = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
MAX_ITEMS = 50_000


class MetricItemIn(BaseModel):
    """One person's value of one indicator."""

    model_config = ConfigDict(extra="forbid")

    employee_no: Text(32, min_length=1)
    indicator_code: Text(40, min_length=1)
    value: Annotated[Decimal, Field(allow_inf_nan=False, max_digits=20, decimal_places=6)]


class MetricBatchIn(BaseModel):
    """Values of one data source for one quarter, all accepted or none; with `replace` they replace the
    values that source already delivered for the quarter (the replaced ones are kept as history)."""

    model_config = ConfigDict(extra="forbid")

    source: Text(40, min_length=1)
    year: Year
    quarter: Int(1, 4)
    replace: bool = False
    items: Annotated[list[MetricItemIn], Field(min_length=1, max_length=MAX_ITEMS)]


class MetricBatchRead(BaseModel):
    batch_id: int
    source: str
    year: int
    quarter: int
    count: int
    people: int
    replaced: int


class MetricRead(BaseModel):
    """A collected value with its provenance."""

    employee_no: str
    name: str
    department: str
    indicator_code: str
    value: Number
    source: str
    channel: str
    filename: str
    sha256: str
    row: int | None
    created_by_name: str
    created_at: datetime


class MappingIn(BaseModel):
    """The header of the 工号 column and of each indicator (code → header; blank: not read)."""

    employee_column: Text(60, min_length=1)
    columns: dict[Text(40), Text(60)]
