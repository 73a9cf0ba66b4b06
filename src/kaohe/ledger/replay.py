"""Replaying the ledger into the state the covered tables must be in, and comparing it with the live
rows (R5). Pure: plain data in, plain data out; no database, no clock.

A hash chain only proves the entries agree with each other. Pages and the record score read the
tables, so `verify` also asks: is every covered row exactly what the ledger says happened to it?
`Replay.feed` folds the entries, in chain order, into the expected rows of each covered table;
`Replay.compare` then walks the live rows (the service loads them in bulk, one table at a time, in id
order) and reports every field that differs, every row the ledger never recorded (written behind the
application's back) and every row the ledger recorded that is gone.

Covered, with the entry kinds that write them (payloads written by `kaohe.records.service`, `month`
and `importing_service`):

| table | entry kinds | row matched by |
|---|---|---|
| work_record | record.version, record.import, record.confirm, record.return | id |
| record_version | record.version, record.import | (record, version) |
| review_action | record.version, record.import, record.confirm, record.return | its place in the record's history |
| record_attachment | record.evidence | id |
| month_close | month.close | (department, month) |
| audit_entry | audit | id (rows below the first one the ledger records are legacy: `audit_replay`) |

Entries of other kinds (other features' votes, grades, rulings, …) pass through untouched. Entries
written before a payload carried a field (e.g. `late`, `by_name`) leave that field `UNKNOWN`, and
unknown fields are not compared: they are as good as the ledger of their time, no better.
A payload that cannot be read (not JSON, a field of the wrong type) is reported as a `Problem` naming
its entry; it never raises.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from kaohe.ledger.chain import Entry
from kaohe.messages import CATALOGUE, t

# The fields of a record that make a version (kaohe.records.service.CONTENT_FIELDS; a test keeps
# them equal). They are written to the payload as `audit.snapshot` gives them: times as ISO text.
CONTENT = ("title", "started_at", "ended_at", "stage_result", "difficulties", "commendation", "task_item_id")
_CONTENT_TIMES = ("started_at", "ended_at")


class _Unknown:
    """A value the ledger does not state: not compared."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True)
class Unreadable:
    """A live value of the wrong type for its column (e.g. text where SQLite expected a time)."""

    raw: Any


@dataclass(frozen=True)
class Digest:
    """What the ledger states of a value it covers by its SHA-256 only (an audit row's text)."""

    hex: str


@dataclass(frozen=True)
class Foreign:
    """A ledger value that could not be resolved to an id (a legacy employee number or department code
    that no longer exists): never equal to any live value."""

    text: str


# --- the covered tables -------------------------------------------------------------------------------

INT, TEXT, TIME, BOOL, JSON, STATUS, ACTION = "int", "text", "time", "bool", "json", "status", "action"
DIGEST = "digest"  # a JSON column the ledger covers by its SHA-256 only (`chain.digest`)


@dataclass(frozen=True)
class Table:
    """A covered table: its name and the columns compared, each with how its raw value is read."""

    name: str
    columns: tuple[tuple[str, str], ...]
    order_by: str = "id"

    @property
    def select(self) -> str:
        """The SQL that loads the table in bulk (identifiers are these constants, never input)."""
        # A column covered by its digest is read as its JSON text on both backends (PostgreSQL would
        # hand a JSON string back already parsed, indistinguishable from SQLite's text).
        names = ", ".join(["id", *(f"CAST({name} AS TEXT) AS {name}" if kind == DIGEST else name
                                   for name, kind in self.columns)])
        return f"SELECT {names} FROM {self.name} ORDER BY {self.order_by}"


WORK_RECORD = Table("work_record", (
    ("staff_id", INT), ("recorded_by", INT), ("task_item_id", INT), ("title", TEXT), ("started_at", TIME),
    ("ended_at", TIME), ("stage_result", TEXT), ("difficulties", TEXT), ("commendation", TEXT),
    ("entered_at", TIME), ("late", BOOL), ("status", STATUS), ("version", INT), ("source", TEXT),
    ("review_comment", TEXT), ("quality_mark", INT), ("reviewed_by", INT), ("reviewed_at", TIME)))
RECORD_VERSION = Table("record_version", (
    ("record_id", INT), ("version", INT), ("content", JSON), ("created_by", INT), ("created_at", TIME)))
REVIEW_ACTION = Table("review_action", (
    ("record_id", INT), ("action", ACTION), ("from_status", STATUS), ("to_status", STATUS), ("comment", TEXT),
    ("actor_id", INT), ("actor_name", TEXT), ("at", TIME)), order_by="record_id, id")
ATTACHMENT = Table("record_attachment", (
    ("record_id", INT), ("filename", TEXT), ("content_type", TEXT), ("size", INT), ("sha256", TEXT),
    ("uploaded_by", INT), ("uploaded_at", TIME)))
MONTH_CLOSE = Table("month_close", (
    ("department_id", INT), ("month", TEXT), ("summary", TEXT), ("figures", JSON), ("closed_by", INT),
    ("closed_at", TIME)))
AUDIT = Table("audit_entry", (
    ("at", TIME), ("actor_id", INT), ("actor_name", TEXT), ("action", TEXT), ("entity_type", TEXT),
    ("entity_id", TEXT), ("ip", TEXT), ("summary", TEXT), ("before", DIGEST), ("after", DIGEST)))
TABLES = (WORK_RECORD, RECORD_VERSION, REVIEW_ACTION, ATTACHMENT, MONTH_CLOSE, AUDIT)
_ORDER = {table.name: index for index, table in enumerate(TABLES)}
_KIND = {table.name: dict(table.columns) for table in TABLES}


# --- reading raw values (both backends) ---------------------------------------------------------------

def _time_value(raw: Any) -> Any:
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw if raw.tzinfo is not None else raw.replace(tzinfo=UTC)
    if isinstance(raw, str):  # SQLite keeps times as text, in UTC without an offset
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            return Unreadable(raw)
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return Unreadable(raw)


def _int_value(raw: Any) -> Any:
    if raw is None or (isinstance(raw, int) and not isinstance(raw, bool)):
        return raw
    return Unreadable(raw)


def _text_value(raw: Any) -> Any:
    return raw if raw is None or isinstance(raw, str) else Unreadable(raw)


def _bool_value(raw: Any) -> Any:
    if raw is None or isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):  # SQLite's booleans
        return bool(raw)
    return Unreadable(raw)


def _json_value(raw: Any) -> Any:
    if raw is None or isinstance(raw, dict | list):
        return raw
    if isinstance(raw, str | bytes):  # SQLite keeps JSON as text
        try:
            return json.loads(raw)
        except ValueError:
            return Unreadable(raw)
    return Unreadable(raw)


def _json_text_value(raw: Any) -> Any:
    if raw is None:
        return None
    if isinstance(raw, str | bytes):
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            return Unreadable(raw)
    return Unreadable(raw)


_READ: dict[str, Callable[[Any], Any]] = {
    INT: _int_value, TEXT: _text_value, TIME: _time_value, BOOL: _bool_value, JSON: _json_value,
    STATUS: _text_value, ACTION: _text_value, DIGEST: _json_text_value,
}


def read_value(kind: str, raw: Any) -> Any:
    """A raw value from the driver as the ledger states it: aware datetimes, bools, ints, str, dicts;
    `Unreadable` when it has the wrong type."""
    return _READ[kind](raw)


def read_row(table: Table, raw: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": _int_value(raw["id"]), **{name: _READ[kind](raw[name]) for name, kind in table.columns}}


# --- differences -----------------------------------------------------------------------------------

CHANGED, UNRECORDED, DELETED = "changed", "unrecorded", "deleted"


@dataclass(frozen=True)
class Difference:
    """One way a live table disagrees with the ledger.

    `row` is the live row's id (None for a row only the ledger knows of), `ref` what else names it
    (record and version, place in a history, department and month), `field` the column (or
    `content.<key>` / `figures.<key>`), `seq` the last entry that stated the row.
    """

    table: str
    kind: str
    row: int | None
    ref: tuple[Any, ...] = ()
    field: str | None = None
    live: Any = None
    ledger: Any = None
    seq: int | None = None

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (_ORDER.get(self.table, len(_ORDER)), self.row if isinstance(self.row, int) else 1 << 62,
                tuple(str(part) for part in self.ref))

    def message(self, tz: tzinfo = UTC) -> str:
        table = t(f"ledger.table.{self.table}")
        row = _row_name(self)
        if self.kind == UNRECORDED:
            return t("ledger.diff.unrecorded", table=table, row=row)
        if self.kind == DELETED:
            return t("ledger.diff.deleted", table=table, row=row, seq=self.seq)
        kind = _field_kind(self.table, self.field)
        return t("ledger.diff.changed", table=table, row=row, field=_field_label(self.field, self.table),
                 live=show(kind, self.live, tz), ledger=show(kind, self.ledger, tz))


def _row_name(diff: Difference) -> str:
    """" #1248 " for a row with an id; what else names it in brackets (record and version, place in a
    history, department and month), after its id when it has one."""
    ident = "" if diff.row is None else f" #{diff.row}"
    ref = ""
    if diff.table == RECORD_VERSION.name and len(diff.ref) == 2:
        ref = t("ledger.row.version", record=diff.ref[0], version=diff.ref[1])
    elif diff.table == REVIEW_ACTION.name and len(diff.ref) == 2:
        ref = t("ledger.row.action", record=diff.ref[0], position=diff.ref[1])
    elif diff.table == MONTH_CLOSE.name and len(diff.ref) == 2:
        ref = t("ledger.row.close", department=diff.ref[0], month=diff.ref[1])
    elif diff.table == AUDIT.name and len(diff.ref) == 1:
        ref = t("ledger.row.audit", action=diff.ref[0])
    return ident + ref if ref else ident + " "


def _field_kind(table: str, name: str | None) -> str:
    if name is None:
        return TEXT
    if name.startswith("content."):
        key = name.removeprefix("content.")
        return INT if key == "task_item_id" else TEXT
    return _KIND.get(table, {}).get(name, TEXT)


def _field_label(name: str | None, table: str = "") -> str:
    if name is None:
        return ""
    if f"ledger.field.{table}.{name}" in CATALOGUE:  # a column whose name means something else here
        return CATALOGUE[f"ledger.field.{table}.{name}"]
    if name.startswith("content."):
        key = name.removeprefix("content.")
        label = f"ledger.field.{key}"
        return CATALOGUE[label] if key in CONTENT and label in CATALOGUE else t("ledger.content.other", key=key)
    if name.startswith("figures."):
        key = name.removeprefix("figures.")
        label = f"ledger.figure.{key}"
        return CATALOGUE[label] if label in CATALOGUE else t("ledger.figure.other", key=key)
    return CATALOGUE.get(f"ledger.field.{name}", name)


def show(kind: str, value: Any, tz: tzinfo = UTC) -> str:
    """A value as a difference names it: statuses and actions in Chinese, times in the unit's zone,
    free text quoted and cut short."""
    if value is None:
        return t("ledger.value.empty")
    if isinstance(value, Unreadable):
        return t("ledger.value.unreadable", raw=_cut(repr(value.raw)))
    if isinstance(value, Foreign):
        return value.text
    if isinstance(value, Digest):
        return t("ledger.value.digest", digest=value.hex[:16])
    if isinstance(value, bool):
        return t("ledger.value.yes" if value else "ledger.value.no")
    if isinstance(value, datetime):
        local = value.astimezone(tz)
        return local.strftime("%Y-%m-%d %H:%M:%S.%f" if local.microsecond else "%Y-%m-%d %H:%M:%S")
    if kind in (STATUS, ACTION) and isinstance(value, str):
        key = f"records.status.{value}" if kind == STATUS else f"ledger.action.{value}"
        return CATALOGUE.get(key, value or t("ledger.value.empty"))
    if isinstance(value, str):
        return f"“{_cut(value)}”"
    if isinstance(value, dict | list):
        return _cut(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return str(value)


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# --- problems with entries ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """An entry whose payload cannot be replayed (a sound chain written by faulty code, or data of the
    wrong type): named, never raised."""

    seq: int
    kind: str
    problem: str

    @property
    def message(self) -> str:
        return t("ledger.malformed", seq=self.seq, kind=self.kind, problem=self.problem)


class _Bad(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _field(name: str) -> _Bad:
    return _Bad(t("ledger.malformed_field", field=name))


def _int(p: Mapping[str, Any], name: str) -> int:
    value = p.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _field(name)
    return value


def _opt_int(p: Mapping[str, Any], name: str, *, stated: bool = True) -> Any:
    """An int or None; UNKNOWN when `name` is absent and `stated` is False (an older payload)."""
    if name not in p and not stated:
        return UNKNOWN
    value = p.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise _field(name)
    return value


def _text(p: Mapping[str, Any], name: str, *, stated: bool = True) -> Any:
    if name not in p and not stated:
        return UNKNOWN
    value = p.get(name)
    if not isinstance(value, str):
        raise _field(name)
    return value


def _bool(p: Mapping[str, Any], name: str) -> Any:
    if name not in p:
        return UNKNOWN
    value = p[name]
    if not isinstance(value, bool):
        raise _field(name)
    return value


def _when(p: Mapping[str, Any], name: str, *, stated: bool = True) -> Any:
    if name not in p and not stated:
        return UNKNOWN
    value = p.get(name)
    if not isinstance(value, str):
        raise _field(name)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _field(name) from None
    if moment.tzinfo is None:
        raise _field(name)
    return moment


# --- the replay -------------------------------------------------------------------------------------

SEQ = "_seq"  # the last entry that stated a row, kept beside its fields


@dataclass
class Comparison:
    """What `Replay.compare` found: the first `limit` differences in table and row order, how many
    there are in all, and how many live rows were compared."""

    differences: list[Difference] = field(default_factory=list)
    count: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return self.count == 0


class Replay:
    """The expected state of the covered tables, built entry by entry in chain order.

    `staff_ids` (employee number → staff id) and `department_ids` (code → department id) resolve the
    names that entries written before the payloads carried ids use instead.
    """

    def __init__(self, *, staff_ids: Mapping[str, int] | None = None,
                 department_ids: Mapping[str, int] | None = None) -> None:
        self.staff_ids = dict(staff_ids or {})
        self.department_ids = dict(department_ids or {})
        self.records: dict[int, dict[str, Any]] = {}
        self.versions: dict[tuple[int, int], dict[str, Any]] = {}
        self.actions: dict[int, list[dict[str, Any]]] = {}
        self.attachments: dict[int, dict[str, Any]] = {}
        self.closes: dict[tuple[int, str], dict[str, Any]] = {}
        self.problems: list[Problem] = []
        self.entries = 0  # entries of a covered kind applied
        from kaohe.ledger.audit_replay import AuditReplay  # it builds on this module's helpers

        self.audit = AuditReplay()
        self._reducers: dict[str, Callable[[Entry, dict[str, Any]], None]] = {
            "record.version": self._version, "record.import": self._version,
            "record.confirm": self._review, "record.return": self._review,
            "record.evidence": self._evidence, "month.close": self._close, "audit": self.audit.feed,
        }

    # feeding ---------------------------------------------------------------------------------

    def feed(self, entry: Entry) -> None:
        """Apply one entry; entries of kinds this replay does not cover are ignored."""
        reducer = self._reducers.get(entry.kind)
        if reducer is None:
            return
        try:
            payload = json.loads(entry.payload)
        except (ValueError, TypeError, RecursionError):  # not JSON, not UTF-8, nested beyond reason
            payload = None
        if not isinstance(payload, dict):
            self.problems.append(Problem(entry.seq, entry.kind, t("ledger.malformed_payload")))
            return
        try:
            reducer(entry, payload)
        except _Bad as bad:
            self.problems.append(Problem(entry.seq, entry.kind, bad.message))
            return
        self.entries += 1

    def feed_all(self, entries: Iterable[Entry]) -> Replay:
        for entry in entries:
            self.feed(entry)
        return self

    def _staff(self, p: Mapping[str, Any]) -> Any:
        if "staff_id" in p:
            return _int(p, "staff_id")
        if "staff" not in p:
            return UNKNOWN
        number = _text(p, "staff")
        return self.staff_ids.get(number, Foreign(number))

    def _version(self, entry: Entry, p: dict[str, Any]) -> None:
        record_id, version = _int(p, "record"), _int(p, "version")
        content = {name: p.get(name) for name in CONTENT}
        for name in CONTENT:
            if name == "task_item_id":
                _opt_int(p, name)
            elif name not in _CONTENT_TIMES:
                _text(p, name)
        times = {name: _when(p, name) for name in _CONTENT_TIMES}
        importing = entry.kind == "record.import"
        if "status" in p:
            status = _text(p, "status")
        elif importing:
            raise _field("status")
        else:
            status = "submitted"
        by = _opt_int(p, "by")
        first = version == 1
        action = _text(p, "action") if "action" in p else ("import" if importing else
                                                           "submit" if first else "resubmit")
        from_status = _text(p, "from") if "from" in p else ("" if first else UNKNOWN)
        comment = _text(p, "comment") if "comment" in p else (UNKNOWN if importing else "")
        by_name = _text(p, "by_name", stated=False)
        record = self.records.get(record_id)
        if first or record is None:
            if not first:
                self.problems.append(Problem(entry.seq, entry.kind,
                                             t("ledger.malformed_first_version", version=version)))
            if importing:
                entered_at, source = _when(p, "entered_at", stated=False), _text(p, "source", stated=False)
                source = "import" if source is UNKNOWN else source
            else:
                entered_at = _when(p, "entered_at") if "entered_at" in p else entry.at
                source = _text(p, "source", stated=False)
            record = {"staff_id": self._staff(p), "recorded_by": by, "entered_at": entered_at,
                      "late": _bool(p, "late"), "source": source, "review_comment": comment,
                      "quality_mark": None, "reviewed_by": None, "reviewed_at": None}
            self.records[record_id] = record
            self.actions[record_id] = []
        record.update({name: content[name] for name in CONTENT if name not in _CONTENT_TIMES})
        record.update(times)
        record.update({"version": version, "status": status, SEQ: entry.seq})
        self.versions[(record_id, version)] = {
            "record_id": record_id, "version": version, "content": content, "created_by": by,
            "created_at": entry.at, SEQ: entry.seq}
        self.actions[record_id].append({
            "record_id": record_id, "action": action, "from_status": from_status, "to_status": status,
            "comment": comment, "actor_id": by, "actor_name": by_name, "at": entry.at, SEQ: entry.seq})

    def _review(self, entry: Entry, p: dict[str, Any]) -> None:
        record_id = _int(p, "record")
        _int(p, "version")
        to, from_status, comment = _text(p, "to"), _text(p, "from"), _text(p, "comment")
        mark, by = _opt_int(p, "mark"), _opt_int(p, "by")
        by_name = _text(p, "by_name", stated=False)
        record = self.records.get(record_id)
        if record is None:
            raise _Bad(t("ledger.malformed_unknown_record", record=record_id))
        record.update({"status": to, "review_comment": comment, "reviewed_by": by, "reviewed_at": entry.at,
                       "quality_mark": mark, SEQ: entry.seq})
        self.actions[record_id].append({
            "record_id": record_id, "action": entry.kind.removeprefix("record."), "from_status": from_status,
            "to_status": to, "comment": comment, "actor_id": by, "actor_name": by_name, "at": entry.at,
            SEQ: entry.seq})

    def _evidence(self, entry: Entry, p: dict[str, Any]) -> None:
        attachment_id = _int(p, "attachment")
        self.attachments[attachment_id] = {
            "record_id": _int(p, "record"), "filename": _text(p, "name"),
            "content_type": _text(p, "type", stated=False), "size": _int(p, "size"),
            "sha256": _text(p, "sha256"), "uploaded_by": _opt_int(p, "by"), "uploaded_at": entry.at,
            SEQ: entry.seq}

    def _close(self, entry: Entry, p: dict[str, Any]) -> None:
        if "department_id" in p:
            department: Any = _int(p, "department_id")
        else:
            code = _text(p, "department")
            department = self.department_ids.get(code, Foreign(code))
        month, summary = _text(p, "month"), _text(p, "summary")
        figures = p.get("figures")
        if not isinstance(figures, dict):
            raise _field("figures")
        self.closes[(department, month)] = {
            "id": _opt_int(p, "close", stated=False), "department_id": department, "month": month,
            "summary": summary, "figures": figures, "closed_by": _opt_int(p, "by"), "closed_at": entry.at,
            SEQ: entry.seq}

    # comparing -------------------------------------------------------------------------------

    def compare(self, live: Mapping[str, Iterable[Mapping[str, Any]]], *, limit: int = 20) -> Comparison:
        """Compare the live rows of every covered table (raw driver rows with the columns of
        `Table.select`, in its order) with the replayed state. Consumes the replay's expected rows."""
        found: list[Difference] = []
        rows = 0
        for table, check in ((WORK_RECORD, self._by_id(self.records)),
                             (RECORD_VERSION, self._versions),
                             (REVIEW_ACTION, self._actions),
                             (ATTACHMENT, self._by_id(self.attachments)),
                             (MONTH_CLOSE, self._closes),
                             (AUDIT, self.audit.check)):
            counted = _Counted(read_row(table, raw) for raw in live.get(table.name, ()))
            found.extend(check(table, counted))
            rows += counted.count
        found.sort(key=lambda diff: diff.sort_key)
        return Comparison(differences=found[:limit], count=len(found), rows=rows)

    @staticmethod
    def _fields(table: Table, row: Mapping[str, Any], expected: Mapping[str, Any], ref: tuple[Any, ...] = ()
                ) -> Iterator[Difference]:
        seq = expected.get(SEQ)
        for name, kind in table.columns:
            want = expected.get(name, UNKNOWN)
            if want is UNKNOWN:
                continue
            have = row[name]
            if kind == JSON:
                yield from _json_fields(table.name, row["id"], ref, name, have, want, seq)
            elif have != want:
                yield Difference(table.name, CHANGED, row["id"], ref, name, have, want, seq)
        if "id" in expected and expected["id"] is not UNKNOWN and expected["id"] != row["id"]:
            yield Difference(table.name, CHANGED, row["id"], ref, "id", row["id"], expected["id"], seq)

    def _by_id(self, expected: dict[int, dict[str, Any]]
               ) -> Callable[[Table, Iterable[dict[str, Any]]], Iterator[Difference]]:
        def check(table: Table, rows: Iterable[dict[str, Any]]) -> Iterator[Difference]:
            for row in rows:
                want = expected.pop(row["id"], None) if isinstance(row["id"], int) else None
                if want is None:
                    yield Difference(table.name, UNRECORDED, row["id"])
                else:
                    yield from self._fields(table, row, want)
            for ident, want in sorted(expected.items()):
                yield Difference(table.name, DELETED, ident, seq=want.get(SEQ))
            expected.clear()
        return check

    def _versions(self, table: Table, rows: Iterable[dict[str, Any]]) -> Iterator[Difference]:
        expected = self.versions
        for row in rows:
            key = (row["record_id"], row["version"])
            want = expected.pop(key, None) if all(isinstance(part, int) for part in key) else None
            if want is None:
                yield Difference(table.name, UNRECORDED, row["id"], _ref(key))
            else:
                yield from self._fields(table, row, want, key)
        for key, want in sorted(expected.items()):
            yield Difference(table.name, DELETED, None, key, seq=want.get(SEQ))
        expected.clear()

    def _closes(self, table: Table, rows: Iterable[dict[str, Any]]) -> Iterator[Difference]:
        expected = self.closes
        for row in rows:
            key = (row["department_id"], row["month"])
            want = expected.pop(key, None) if isinstance(key[0], int) and isinstance(key[1], str) else None
            if want is None:
                yield Difference(table.name, UNRECORDED, row["id"], _ref(key))
            else:
                yield from self._fields(table, row, want, key)
        for key, want in sorted(expected.items(), key=lambda item: (str(item[0][0]), item[0][1])):
            ident = want["id"] if isinstance(want["id"], int) else None
            yield Difference(table.name, DELETED, ident, _ref(key), seq=want.get(SEQ))
        expected.clear()

    def _actions(self, table: Table, rows: Iterable[dict[str, Any]]) -> Iterator[Difference]:
        expected = self.actions
        group: list[dict[str, Any]] = []
        for row in rows:
            if group and row["record_id"] != group[0]["record_id"]:
                yield from self._history(table, group)
                group = []
            group.append(row)
        if group:
            yield from self._history(table, group)
        for record_id, wanted in sorted(expected.items()):
            for position, want in enumerate(wanted, start=1):
                yield Difference(table.name, DELETED, None, (record_id, position), seq=want.get(SEQ))
        expected.clear()

    def _history(self, table: Table, live: list[dict[str, Any]]) -> Iterator[Difference]:
        """One record's live history against the ledger's, aligned so that one row deleted or slipped
        in is named as such instead of as a difference in every row after it."""
        record_id = live[0]["record_id"]
        wanted = self.actions.pop(record_id, []) if isinstance(record_id, int) else []
        i = j = 0
        while i < len(live) and j < len(wanted):
            ref = (record_id, j + 1)
            diffs = list(self._fields(table, live[i], wanted[j], ref))
            if not diffs:
                i, j = i + 1, j + 1
            elif j + 1 < len(wanted) and not any(self._fields(table, live[i], wanted[j + 1], ref)):
                yield Difference(table.name, DELETED, None, ref, seq=wanted[j].get(SEQ))
                j += 1
            elif i + 1 < len(live) and not any(self._fields(table, live[i + 1], wanted[j], ref)):
                yield Difference(table.name, UNRECORDED, live[i]["id"], (record_id, j + 1))
                i += 1
            else:
                yield from diffs
                i, j = i + 1, j + 1
        for row in live[i:]:
            yield Difference(table.name, UNRECORDED, row["id"], (record_id, j + 1))
            j += 1
        for position in range(j, len(wanted)):
            yield Difference(table.name, DELETED, None, (record_id, position + 1), seq=wanted[position].get(SEQ))


def _ref(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(part.raw if isinstance(part, Unreadable) else part for part in key)


def _figure(value: Any) -> Any:
    """Month figures as the ledger writes them: floats as their decimal text (the ledger refuses floats)."""
    return str(value) if isinstance(value, float) else value


def _json_fields(table: str, row: Any, ref: tuple[Any, ...], name: str, have: Any, want: Any, seq: Any
                 ) -> Iterator[Difference]:
    """A JSON column key by key (a version's content, a close's figures), each key a field of its own."""
    if not isinstance(have, dict):
        yield Difference(table, CHANGED, row, ref, name, have, want, seq)
        return
    if name == "figures":
        have = {key: _figure(value) for key, value in have.items()}
    prefix = "content" if name == "content" else name
    for key in [*want, *(key for key in have if key not in want)]:
        live_value, ledger_value = have.get(key), want.get(key)
        if (key not in have or key not in want or live_value != ledger_value
                or type(live_value) is not type(ledger_value)):
            yield Difference(table, CHANGED, row, ref, f"{prefix}.{key}", live_value, ledger_value, seq)


class _Counted:
    """An iterable that counts what was drawn from it."""

    def __init__(self, items: Iterable[Any]) -> None:
        self._items = iter(items)
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for item in self._items:
            self.count += 1
            yield item


def check_file(row_id: int, data: Any, sha256: Any, size: Any) -> Difference | None:
    """An attachment's stored bytes against its `sha256` and `size` columns (which `compare` checks
    against the ledger): a file swapped behind the application's back."""
    import hashlib

    if not isinstance(data, bytes | bytearray | memoryview):
        return Difference(ATTACHMENT.name, CHANGED, row_id, (), "data", Unreadable(type(data).__name__), sha256)
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256 or len(data) != size:
        return Difference(ATTACHMENT.name, CHANGED, row_id, (), "data", f"SHA-256 {digest}", f"SHA-256 {sha256}")
    return None
