"""Settings of ratings that are the unit's operation rather than its scheme, from the environment.

`KAOHE_RATINGS_INVITATION_DAYS` (default 14, 1…90): how many days a service recipient's invitation link
stays valid. The scheme says recipients rate (P4) but not for how long a link lives; a link is a secret
on paper or a screen, so it expires by itself even if the quarter's rating phase runs longer.
"""

from functools import lru_cache
from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class RatingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KAOHE_RATINGS_", extra="ignore")

    invitation_days: Annotated[int, Field(ge=1, le=90)] = 14


@lru_cache
def get_rating_settings() -> RatingSettings:
    return RatingSettings()
