"""An entry whose payload has the wrong shape, signed with the real key (faulty code on the server, or
someone holding the key): `kaohe ledger verify` exits 1 with a Chinese line naming its seq, and the
/ledger page answers 200 naming it. Never a traceback, never a 500. Both backends.
"""

import json

import pytest
from sqlalchemy import text
from tests.integration.ledger.ledger_support import run_kaohe
from tests.integration.ledger.test_ledger_verify_cli import _sign_payload
from tests.integration.records.records_support import enter

RECORD_PAYLOADS = {
    "a list": b"[1,2,3]",
    "a string": '"一段文字"'.encode(),
    "a number": b"42",
    "null": b"null",
    "staff id as text": None,  # built from the real payload below
    "missing keys": b'{"record":1}',
    "not UTF-8": b'{"title":"\xff\xfe"}',
    "not JSON": b"{title:",
    "nested beyond reason": b"[" * 100_000 + b"]" * 100_000,
}
AUDIT_PAYLOADS = {
    "a list": b"[]",
    "audit id as text": None,
    "missing digests": b'{"audit":1,"actor_id":null,"actor_name":"x","action":"a","entity_type":"b","entity_id":"",'
                       b'"ip":""}',
    "not UTF-8": b"\x80\x81",
}


def _seq_of(db, kind: str, predicate) -> int:  # type: ignore[no-untyped-def]
    for seq, payload in db.execute(text("SELECT seq, payload FROM ledger_entry WHERE kind = :k ORDER BY seq"),
                                   {"k": kind}):
        if predicate(json.loads(bytes(payload))):
            return seq
    raise AssertionError(kind)


def _check(demo_url: str, client_as, seq: int, kind: str) -> None:  # type: ignore[no-untyped-def]
    run = run_kaohe(demo_url, "ledger", "verify")
    assert run.code == 1, run.text
    assert "Traceback" not in run.text
    assert f"第 {seq} 号账本条目（{kind}）的内容无法解读" in run.err, run.err
    page = client_as("inspector").get("/ledger")
    assert page.status_code == 200
    assert "账本校验未通过" in page.text and f"第 {seq} 号账本条目（{kind}）的内容无法解读" in page.text
    api = client_as("inspector").get("/api/v1/ledger/verify")
    assert api.status_code == 200 and api.json()["ok"] is False


@pytest.mark.parametrize("case", sorted(RECORD_PAYLOADS))
def test_a_record_entry_of_the_wrong_shape_is_named(demo_url, db, who, client_as, case):
    record = enter(db, who("staff"), title="窗口受理企业开办")
    seq = _seq_of(db, "record.version", lambda p: p.get("record") == record.id)
    payload = RECORD_PAYLOADS[case]
    if payload is None:
        real = json.loads(bytes(db.scalar(text("SELECT payload FROM ledger_entry WHERE seq = :s"), {"s": seq})))
        payload = json.dumps({**real, "staff_id": "JZ0001"}, ensure_ascii=False).encode()
    _sign_payload(db, seq, payload)
    _check(demo_url, client_as, seq, "record.version")


@pytest.mark.parametrize("case", sorted(AUDIT_PAYLOADS))
def test_an_audit_entry_of_the_wrong_shape_is_named(demo_url, db, who, client_as, case):
    record = enter(db, who("staff"), title="窗口受理企业开办")
    audit_id = db.scalar(text("SELECT id FROM audit_entry WHERE action = 'record.create' AND entity_id = :e"),
                         {"e": str(record.id)})
    seq = _seq_of(db, "audit", lambda p: p.get("audit") == audit_id)
    payload = AUDIT_PAYLOADS[case]
    if payload is None:
        real = json.loads(bytes(db.scalar(text("SELECT payload FROM ledger_entry WHERE seq = :s"), {"s": seq})))
        payload = json.dumps({**real, "audit": str(audit_id)}).encode()
    _sign_payload(db, seq, payload)
    _check(demo_url, client_as, seq, "audit")
