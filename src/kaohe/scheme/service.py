"""Use cases of the stored scheme: import, export, edit, publish, freeze, compare.

Every stored version holds a valid document: nothing invalid is ever saved, and no stored text
is ever changed: importing, copying and every saved edit of a draft add a new version (S8). A
year's *current* scheme is its latest published (or frozen) version; without one the built-in
default applies, with its year set. Once the year is frozen (its first cycle has opened) nothing
of that year can be edited or published any more; a new draft can still be created, to become
next year's scheme.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.db import utcnow
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.messages import t
from kaohe.scheme.changes import field_changes
from kaohe.scheme.diff import SchemeDiff, diff_schemes
from kaohe.scheme.edits import Edit, apply_edits, with_year
from kaohe.scheme.loader import default_scheme_text, load_scheme_text
from kaohe.scheme.models import Scheme
from kaohe.scheme.orm import SchemeStatus, SchemeVersion
from kaohe.scheme.problems import Problem

IN_FORCE = (SchemeStatus.published, SchemeStatus.frozen)
FIELDS = ("year", "version", "status", "sha256", "note")


def _require(actor: Principal) -> None:
    if not actor.can(Perm.scheme_write):
        raise Forbidden(t("common.forbidden"))


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Invalid(t("scheme_admin.year_out_of_range", year=year))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=32)
def _load(text: str) -> Scheme | tuple[Problem, ...]:
    # Stored texts never change, so parsing each one once per process is enough.
    result = load_scheme_text(text)
    return result if isinstance(result, Scheme) else tuple(result)


def _invalid(problems: Sequence[Problem]) -> Invalid:
    error = Invalid(t("scheme_admin.invalid", count=len(problems)), details=[str(p) for p in problems])
    error.problems = list(problems)  # type: ignore[attr-defined]  (the editor shows each at its place)
    return error


def validated(text: str, year: int) -> tuple[str, Scheme]:
    """The text with its year set to `year`, and its scheme; raises Invalid with every problem."""
    _check_year(year)
    text = text.lstrip("\ufeff")
    result = _load(text)
    if isinstance(result, Scheme) and result.year != year:
        rewritten = with_year(text, year)
        if rewritten is None:
            raise _invalid([Problem("year", t("scheme_admin.year_line_missing", year=year))])
        text, result = rewritten, _load(rewritten)
    if not isinstance(result, Scheme):
        raise _invalid(result)
    return text, result


def scheme_of(row: SchemeVersion) -> Scheme:
    """The scheme a stored version holds."""
    result = _load(row.yaml_text)
    if not isinstance(result, Scheme):  # only if the validator grew stricter since it was stored
        raise _invalid(result)
    return result


# --- reading ---------------------------------------------------------------------------------

def get_version(db: Session, version_id: int) -> SchemeVersion:
    row = db.get(SchemeVersion, version_id)
    if row is None:
        raise NotFound(t("scheme_admin.not_found"))
    return row


def find_version(db: Session, *, year: int, version: int) -> SchemeVersion:
    row = db.scalar(select(SchemeVersion).where(SchemeVersion.year == year, SchemeVersion.version == version))
    if row is None:
        raise NotFound(t("scheme_admin.version_not_found", year=year, version=version))
    return row


def list_versions(db: Session, *, year: int) -> list[SchemeVersion]:
    """Every version of a year, newest first."""
    return list(db.scalars(
        select(SchemeVersion).where(SchemeVersion.year == year).order_by(SchemeVersion.version.desc())))


def list_years(db: Session) -> list[int]:
    return list(db.scalars(select(SchemeVersion.year).distinct().order_by(SchemeVersion.year.desc())))


def current_version(db: Session, *, year: int) -> SchemeVersion | None:
    """The year's scheme in force: its latest published or frozen version, if any."""
    return db.scalar(
        select(SchemeVersion).where(SchemeVersion.year == year, SchemeVersion.status.in_(IN_FORCE))
        .order_by(SchemeVersion.version.desc()).limit(1))


def is_frozen(db: Session, *, year: int) -> bool:
    return db.scalar(select(SchemeVersion.id).where(
        SchemeVersion.year == year, SchemeVersion.status == SchemeStatus.frozen).limit(1)) is not None


def default_text(year: int) -> str:
    """The built-in default scheme's document, for `year`."""
    text = default_scheme_text()
    return with_year(text, year) or text


def current(db: Session, *, year: int) -> Scheme:
    """The year's scheme in force; the built-in default (for that year) if none is published."""
    row = current_version(db, year=year)
    if row is not None:
        return scheme_of(row)
    return validated(default_text(year), year)[1]


def export_version(db: Session, *, year: int, version: int | None = None) -> str:
    """The document of a version (by default the one in force, else the built-in default)."""
    if version is not None:
        return find_version(db, year=year, version=version).yaml_text
    row = current_version(db, year=year)
    return row.yaml_text if row is not None else default_text(year)


def compare(db: Session, *, year: int, version_id: int | None = None) -> SchemeDiff:
    """What changed from the previous year's scheme in force to this year's (or to one version)."""
    new = scheme_of(get_version(db, version_id)) if version_id else current(db, year=year)
    return diff_schemes(current(db, year=year - 1), new)


# --- changing --------------------------------------------------------------------------------

def _refuse_frozen(db: Session, year: int) -> None:
    if is_frozen(db, year=year):
        raise Conflict(t("scheme_admin.frozen", year=year))


def _add_version(db: Session, *, actor: Principal, year: int, text: str, note: str,
                 status: SchemeStatus = SchemeStatus.draft) -> SchemeVersion:
    latest = db.scalar(select(func.max(SchemeVersion.version)).where(SchemeVersion.year == year)) or 0
    row = SchemeVersion(year=year, version=latest + 1, status=status, yaml_text=text, sha256=sha256(text),
                        created_by=actor.user_id, created_at=utcnow(), note=note.strip()[:200])
    try:
        with db.begin_nested():  # a concurrent writer took the number: undo only this row
            db.add(row)
            db.flush()
    except IntegrityError:
        raise Conflict(t("scheme_admin.version_conflict")) from None
    return row


def import_version(db: Session, *, actor: Principal, year: int, text: str, note: str = "") -> SchemeVersion:
    """Store a document as a new draft of `year` (its `year:` is set to `year`); all problems or nothing."""
    _require(actor)
    text, _scheme = validated(text, year)
    row = _add_version(db, actor=actor, year=year, text=text, note=note)
    audit.record(db, actor=actor, action="scheme.import", entity_type="scheme_version", entity_id=row.id,
                 summary=t("scheme_admin.audit_import", year=year, version=row.version),
                 after=audit.snapshot(row, FIELDS))
    db.flush()
    return row


def new_draft(db: Session, *, actor: Principal, year: int, note: str = "") -> SchemeVersion:
    """A new draft of `year`, copied from the year's scheme in force, else last year's, else the default."""
    _require(actor)
    _check_year(year)
    source = current_version(db, year=year) or current_version(db, year=year - 1)
    text = source.yaml_text if source is not None else default_text(year)
    text, _scheme = validated(text, year)
    origin = (t("scheme_admin.origin_version", year=source.year, version=source.version) if source
              else t("scheme_admin.origin_default"))
    row = _add_version(db, actor=actor, year=year, text=text, note=note or origin)
    audit.record(db, actor=actor, action="scheme.draft", entity_type="scheme_version", entity_id=row.id,
                 summary=t("scheme_admin.audit_draft", year=year, version=row.version, origin=origin),
                 after=audit.snapshot(row, FIELDS))
    db.flush()
    return row


def _editable(db: Session, version_id: int) -> SchemeVersion:
    row = get_version(db, version_id)
    _refuse_frozen(db, row.year)
    if row.status is not SchemeStatus.draft:
        raise Conflict(t("scheme_admin.not_draft", version=row.version, status=row.status.label))
    return row


def update_draft(db: Session, *, actor: Principal, version_id: int, edits: Sequence[Edit] = (),
                 text: str | None = None, note: str = "") -> SchemeVersion:
    """Change a draft: a list of edits (weights, thresholds, texts) or a whole new text; all or nothing.

    A saved change is a new draft version of the year (S8: every version is kept); the draft it was
    made from stays as it was. Saving nothing new returns the draft itself and stores nothing.
    """
    _require(actor)
    row = _editable(db, version_id)
    new_text = row.yaml_text if text is None else text
    if edits:
        new_text, problems = apply_edits(new_text, edits)
        if problems:
            raise _invalid(problems)
    new_text, scheme = validated(new_text, row.year)
    if new_text == row.yaml_text:
        return row
    # The editor's 修改说明 is the new version's note; without one, where it came from.
    new_row = _add_version(db, actor=actor, year=row.year, text=new_text,
                           note=note.strip() or t("scheme_admin.origin_edit", version=row.version))
    changed = field_changes(row.yaml_text, new_text, scheme)
    audit.record(db, actor=actor, action="scheme.update", entity_type="scheme_version", entity_id=new_row.id,
                 summary=t("scheme_admin.audit_update", year=row.year, previous=row.version,
                           version=new_row.version, count=len(changed))
                 + (t("scheme_admin.audit_note", note=note.strip()) if note.strip() else ""),
                 before={where: old for where, old, _new in changed},
                 after={where: new for where, _old, new in changed})
    db.flush()
    return new_row


def publish(db: Session, *, actor: Principal, version_id: int) -> SchemeVersion:
    """Make a valid draft the year's scheme in force (refused once the year is frozen)."""
    _require(actor)
    row = _editable(db, version_id)
    validated(row.yaml_text, row.year)
    before = audit.snapshot(row, ("status",))
    row.status, row.published_at = SchemeStatus.published, utcnow()
    audit.record(db, actor=actor, action="scheme.publish", entity_type="scheme_version", entity_id=row.id,
                 summary=t("scheme_admin.audit_publish", year=row.year, version=row.version),
                 before=before, after=audit.snapshot(row, ("status",)))
    db.flush()
    return row


def freeze(db: Session, *, actor: Principal, year: int) -> SchemeVersion:
    """Freeze the year's scheme in force (when its first cycle opens); the default is stored if none."""
    _require(actor)
    _check_year(year)
    frozen = db.scalar(select(SchemeVersion).where(
        SchemeVersion.year == year, SchemeVersion.status == SchemeStatus.frozen))
    if frozen is not None:
        return frozen
    now = utcnow()
    row = current_version(db, year=year)
    if row is None:
        text, _scheme = validated(default_text(year), year)
        row = _add_version(db, actor=actor, year=year, text=text, note=t("scheme_admin.origin_default"),
                           status=SchemeStatus.published)
        row.published_at = now
    before = audit.snapshot(row, ("status",))
    row.status, row.frozen_at = SchemeStatus.frozen, now
    audit.record(db, actor=actor, action="scheme.freeze", entity_type="scheme_version", entity_id=row.id,
                 summary=t("scheme_admin.audit_freeze", year=year, version=row.version),
                 before=before, after=audit.snapshot(row, ("status",)))
    db.flush()
    return row
