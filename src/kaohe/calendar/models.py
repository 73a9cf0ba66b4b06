"""Special days of the working-day calendar: statutory holidays, adjusted workdays, closures."""

from datetime import date, datetime

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kaohe.calendar.workdays import DayKind
from kaohe.db import Base, enum_column, utcnow


class CalendarYear(Base):
    """A year whose official arrangement is known; dates of other years are refused."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(40))  # "chinesecalendar" or "import"
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarDay(Base):
    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[DayKind] = mapped_column(enum_column(DayKind))
    name: Mapped[str] = mapped_column(String(60), default="")
