"""The common base of every scheme model: unknown keys are refused, so typos surface."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class SchemeModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


Key = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Weight = Annotated[float, Field(gt=0, le=100)]
Percent = Annotated[float, Field(ge=0, le=100)]
