"""The scheme's JSON API under /api/v1/schemes: versions, documents, import, edits, publish, freeze.

Everyone signed in reads; changes need `scheme.write` (HR, admin). Same use cases as the pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from kaohe.auth.permissions import Perm
from kaohe.scheme import service
from kaohe.scheme.edits import Edit
from kaohe.scheme.orm import SchemeStatus, SchemeVersion
from kaohe.web.deps import CurrentPrincipal, SessionDep, requires
from kaohe.web.inputs import Id, Text, Year

router = APIRouter(prefix="/schemes", tags=["考核方案"])
SchemeAdmin = requires(Perm.scheme_write)
SCHEME_TEXT_MAX = 2 * 1024 * 1024


class VersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    year: int
    version: int
    status: SchemeStatus
    sha256: str
    created_by: int | None
    created_at: datetime
    published_at: datetime | None
    frozen_at: datetime | None
    note: str
    current: bool = False


class VersionDocument(VersionRead):
    scheme: dict[str, Any]


class SchemeImport(BaseModel):
    text: Text(SCHEME_TEXT_MAX, min_length=1, lines=True)
    note: Text(200) = ""


class EditIn(BaseModel):
    path: Text(300, min_length=1)
    value: Text(2000) | Annotated[float, Field(allow_inf_nan=False)]
    code: Text(32) | None = None


class DraftUpdate(BaseModel):
    edits: list[EditIn] = Field(default_factory=list, max_length=5000)
    text: Text(SCHEME_TEXT_MAX, lines=True) | None = None


def _read(db: SessionDep, row: SchemeVersion) -> VersionRead:
    current = service.current_version(db, year=row.year)
    return VersionRead.model_validate(row).model_copy(update={"current": current is not None and current.id == row.id})


@router.get("", response_model=list[VersionRead], summary="某年度方案的全部版本")
def list_versions(year: Year, db: SessionDep, principal: CurrentPrincipal) -> list[VersionRead]:
    current = service.current_version(db, year=year)
    return [VersionRead.model_validate(row).model_copy(update={"current": current is not None and current.id == row.id})
            for row in service.list_versions(db, year=year)]


@router.get("/versions/{version_id}", response_model=VersionDocument, summary="某一版本(JSON)")
def get_version(version_id: Id, db: SessionDep, principal: CurrentPrincipal) -> VersionDocument:
    row = service.get_version(db, version_id)
    scheme = service.scheme_of(row).model_dump(mode="json", exclude_none=True)
    return VersionDocument(**_read(db, row).model_dump(), scheme=scheme)


@router.get("/versions/{version_id}/yaml", summary="某一版本的方案原文(YAML)", response_class=Response,
            responses={200: {"description": "方案原文", "content": {"application/yaml": {"schema": {"type": "string"}}}}})
def get_version_yaml(version_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Response:
    return Response(service.get_version(db, version_id).yaml_text, media_type="application/yaml; charset=utf-8")


@router.get("/{year}/current", summary="某年度正在执行的方案(JSON;未发布时为内置默认方案)")
def current_scheme(year: Year, db: SessionDep, principal: CurrentPrincipal) -> dict[str, Any]:
    return service.current(db, year=year).model_dump(mode="json", exclude_none=True)


@router.post("/{year}/drafts", response_model=VersionRead, status_code=201, summary="导入方案为新草稿")
def import_draft(year: Year, body: SchemeImport, db: SessionDep, principal: SchemeAdmin) -> VersionRead:
    row = service.import_version(db, actor=principal, year=year, text=body.text, note=body.note)
    return _read(db, row)


@router.patch("/versions/{version_id}", response_model=VersionRead, summary="修改草稿(逐项修改或整篇替换),保存为新版本")
def update_draft(version_id: Id, body: DraftUpdate, db: SessionDep, principal: SchemeAdmin) -> VersionRead:
    edits = [Edit(item.path, item.value, item.code) for item in body.edits]
    row = service.update_draft(db, actor=principal, version_id=version_id, edits=edits, text=body.text)
    return _read(db, row)


@router.post("/versions/{version_id}/publish", response_model=VersionRead, summary="发布草稿")
def publish(version_id: Id, db: SessionDep, principal: SchemeAdmin) -> VersionRead:
    return _read(db, service.publish(db, actor=principal, version_id=version_id))


@router.post("/{year}/freeze", response_model=VersionRead, summary="冻结某年度方案(首个考核周期开启时)")
def freeze(year: Year, db: SessionDep, principal: SchemeAdmin) -> VersionRead:
    return _read(db, service.freeze(db, actor=principal, year=year))
