"""The ledger's tables: the entries of the hash chain, the head row sealers lock, and the entries written
but not yet chained (docs/ledger.md, "Writing at scale")."""

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from kaohe.db import Base


class LedgerEntry(Base):
    """One link of the hash chain (R5). `signature` is the HMAC of `hash` with the ledger key, which
    the database never holds; None only for entries written before signatures (see sign-legacy)."""

    __tablename__ = "ledger_entry"
    # "The entry feature X wrote at time T" (e.g. a month close, to show its anchor) without a scan.
    __table_args__ = (Index("ix_ledger_entry_kind_at", "kind", "at"),)

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    at: Mapped[datetime] = mapped_column()
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(String(64), default=None)


class LedgerHead(Base):
    """A single row locked while appending, so concurrent processes extend the chain one at a time.
    It names the last entry; `signature` (HMAC of seq and hash) stops it being moved back without the key."""

    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(String(64), default=None)


class LedgerPending(Base):
    """An entry written in its feature's transaction and not chained yet: the sealer gives it its seq,
    links and entry signature in a batch, then deletes it. `signature` (HMAC of id, time, kind and
    payload with the ledger key) stops a row edited, inserted or renumbered before sealing from being
    chained; it is written in the same transaction as the row (the id is known after the INSERT)."""

    __tablename__ = "ledger_pending"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                    autoincrement=True)
    at: Mapped[datetime] = mapped_column()
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[str] = mapped_column(String(64), default="")
