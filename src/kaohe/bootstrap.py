"""The composition root: the one place that registers every model and makes engines and sessions.

The web app, the CLI, Alembic, jobs and the benchmarks all start here, so a command can never see a
partial set of tables (the crash where `audit_entry.actor_id` could not find `user_account` came from
commands importing only the models they happened to need).

Unit of work: use cases stage changes and flush; they never commit. The edge commits exactly once:
a request (`kaohe.web.deps.get_db`), a CLI command or a job (`Database.unit_of_work`). A use case
that must recover from a failure of another one inside the same transaction uses a savepoint
(`session.begin_nested()`), which works on both backends (see `_sqlite_transactions`).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, configure_mappers, sessionmaker

from kaohe.config import Settings, get_settings
from kaohe.db import Base


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


def make_engine(url: str) -> Engine:
    """An engine for `url`, with every model registered first."""
    register_models()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _sqlite_transactions(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


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
