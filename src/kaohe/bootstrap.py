"""The composition root: the one place that registers every model and makes engines and sessions.

The web app, the CLI, Alembic, jobs and the benchmarks all start here, so a command can never see a
partial set of tables (the crash where `audit_entry.actor_id` could not find `user_account` came from
commands importing only the models they happened to need).

Unit of work: use cases stage changes and flush; they never commit. The edge commits exactly once:
a request (`kaohe.web.deps.get_db`), a CLI command or a job (`Database.unit_of_work`). A use case
that must recover from a failure of another one inside the same transaction uses a savepoint
(`session.begin_nested()`), which works on both backends (see `_sqlite_transactions`).
"""

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, configure_mappers, sessionmaker

from kaohe.config import Settings, get_settings
from kaohe.db import Base

if TYPE_CHECKING:
    from kaohe.todo import Provider


class CompositionError(RuntimeError):
    """The models do not form a consistent schema (a programming error, caught at start-up)."""


@cache
def register_models() -> type[Base]:
    """Import every model, configure the mappers and check that every foreign key resolves."""
    import kaohe.models  # noqa: F401  (the list of every feature's models)

    configure_mappers()
    missing = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            try:
                fk.column  # noqa: B018  (resolving the target raises when its table is not registered)
            except Exception as exc:  # NoReferencedTableError / NoReferencedColumnError
                missing.append(f"{table.name}: {exc}")
    if missing:
        raise CompositionError("unresolved foreign keys: " + "; ".join(missing))
    return Base


def _sqlite_transactions(engine: Engine) -> None:
    """Make SAVEPOINT safe on pysqlite.

    The driver begins a transaction lazily, just before the first INSERT/UPDATE/DELETE. A SAVEPOINT
    issued before that would itself open the transaction, and releasing it would commit at once,
    outside the unit of work. So a savepoint first opens the real transaction, as IMMEDIATE: a
    savepoint guards a write, and taking the write lock up front lets SQLite's busy timeout queue
    writers instead of failing a transaction whose read snapshot went stale.
    """

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "savepoint")
    def _open_before_savepoint(conn, _name):  # type: ignore[no-untyped-def]
        dbapi_connection = conn.connection.dbapi_connection
        if dbapi_connection is not None and not dbapi_connection.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


# Database connections per process when KAOHE_DB_POOL_SIZE is unset, chosen together with the in-flight
# limit and the thread limit (kaohe.web.load.in_flight_limit; docs/design.md, "Under load"). SQLite has
# one writer at a time across every process, so more connections only lengthen the lock queue;
# PostgreSQL serves each connection in its own backend, and 10 per process keeps a few processes well
# inside its default max_connections of 100.
SQLITE_POOL_SIZE = 5
POSTGRES_POOL_SIZE = 10


def pool_size_for(url: str, configured: int | None = None) -> int:
    """The connections per process for `url`: the configured size, else the backend's default."""
    if configured:
        return configured
    return SQLITE_POOL_SIZE if url.startswith("sqlite") else POSTGRES_POOL_SIZE


def make_engine(url: str, settings: Settings | None = None, *, pool_size: int | None = None,
                pool_timeout: float | None = None) -> Engine:
    """An engine for `url`, with every model registered first.

    Waits are bounded: a checkout waits `pool_timeout` seconds for a free connection (then
    sqlalchemy's TimeoutError, which the app answers with 503), and on SQLite a writer waits for the
    write lock (the busy timeout, then "database is locked", likewise 503) for the pool timeout less
    the queue wait, at least 1 s. Without settings (commands, tests, benchmarks) the defaults of
    `Settings` apply, not the environment, and the busy timeout is the whole pool timeout.
    """
    register_models()
    if pool_size is None:
        pool_size = pool_size_for(url, settings.db_pool_size if settings is not None else None)
    if pool_timeout is None:
        pool_timeout = (settings.db_pool_timeout_seconds if settings is not None
                        else Settings.model_fields["db_pool_timeout_seconds"].default)
    if url.startswith("sqlite"):
        # A request's whole wait stays within the pool timeout: what it spent queueing for a turn
        # (kaohe.web.load, at most queue_wait_seconds) is taken off the wait for the write lock.
        busy = pool_timeout if settings is None else max(1.0, pool_timeout - settings.queue_wait_seconds)
        # Overflow as large as the pool: SQLite connections cost a file handle, and a request may
        # briefly hold two (sign-in throttling commits its attempt in a transaction of its own).
        pooling = {} if ":memory:" in url or url in ("sqlite://", "sqlite:///") else {
            "pool_size": pool_size, "max_overflow": pool_size, "pool_timeout": pool_timeout}
        # (An in-memory database lives in one connection, so it has no pool to size.)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy}, **pooling)
        _sqlite_transactions(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max(2, pool_size // 2),
                         pool_timeout=pool_timeout,
                         connect_args={"connect_timeout": max(1, math.ceil(pool_timeout))})


def make_session_factory(engine: Engine, settings: Settings | None = None) -> sessionmaker[Session]:
    """Sessions on `engine`. With `settings`, every session carries their ledger key
    (`kaohe.ledger.service` signs with it); without, the ledger falls back to the process's settings."""
    from kaohe.ledger.service import SESSION_KEY

    info = {} if settings is None else {SESSION_KEY: settings.ledger_key}
    return sessionmaker(engine, expire_on_commit=False, autoflush=False, info=info)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed when the block ends normally, rolled back when it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@dataclass
class Database:
    """An engine and its session factory, made once per process by the edge that runs."""

    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def connect(cls, url: str, settings: Settings | None = None) -> "Database":
        engine = make_engine(url)
        return cls(engine=engine, sessions=make_session_factory(engine, settings))

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "Database":
        settings = settings or get_settings()
        return cls.connect(settings.database_url, settings)

    def unit_of_work(self) -> "contextmanager[Session]":  # type: ignore[valid-type]
        return unit_of_work(self.sessions)

    def dispose(self) -> None:
        self.engine.dispose()


def todo_providers() -> tuple["Provider", ...]:
    """Every feature's 待办 provider (kaohe.todo), listed explicitly: a new feature adds its own here."""
    from kaohe.feedback.todo import owed as feedback_owed
    from kaohe.quarterly.todo import owed as quarterly_owed
    from kaohe.ratings.todo import owed as ratings_owed
    from kaohe.records.todo import owed as records_owed
    from kaohe.warnings.todo import owed as warnings_owed

    return (records_owed, quarterly_owed, ratings_owed, feedback_owed, warnings_owed)
