"""The hash chain (R5): canonical payloads, entries, verification of every kind of tampering, signatures,
anchors."""

import dataclasses
import enum
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaohe.ledger.chain import (
    GENESIS,
    Entry,
    Signer,
    anchor,
    canonical,
    chain,
    entry_hash,
    next_entry,
    parse_anchor,
    verify,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BEIJING = timezone(timedelta(hours=8))


def build(n: int = 12) -> list[Entry]:
    items = ((T0 + timedelta(minutes=i), "record.version", {"record": i, "title": f"第{i}项重点任务", "stage": "完成"})
             for i in range(1, n + 1))
    return list(chain(items))


def forge(prev: Entry, seq: int) -> Entry:
    """An entry made properly by someone with the code but not the right to add it here."""
    return next_entry(prev, seq=seq, at=prev.at, kind="record.version", payload={"record": 999, "title": "补造"})


class Grade(enum.Enum):
    excellent = "优秀"


def test_it_writes_canonical_json_whatever_the_key_order():
    first = canonical({"b": 1, "a": {"y": "值", "x": [1, 2]}})
    second = canonical({"a": {"x": [1, 2], "y": "值"}, "b": 1})
    assert first == second == '{"a":{"x":[1,2],"y":"值"},"b":1}'.encode()


def test_it_writes_times_in_utc_with_the_offset_and_decimals_plainly():
    noon_beijing = datetime(2026, 3, 2, 12, 0, tzinfo=BEIJING)
    payload = canonical({"at": noon_beijing, "day": date(2026, 3, 2), "mark": Decimal("4.50"),
                         "big": Decimal("1E+2"), "zero": Decimal("-0.0"), "grade": Grade.excellent})
    assert payload == ('{"at":"2026-03-02T04:00:00.000000+00:00","big":"100","day":"2026-03-02",'
                       '"grade":"优秀","mark":"4.5","zero":"0"}').encode()
    assert canonical({"at": noon_beijing}) == canonical({"at": noon_beijing.astimezone(UTC)})


@pytest.mark.parametrize("bad", [{"mark": 4.5}, {"at": datetime(2026, 1, 1)}, {1: "x"}, {"s": {1, 2}},
                                 {"n": Decimal("NaN")}])
def test_it_refuses_what_has_no_canonical_form(bad):
    with pytest.raises((TypeError, ValueError)):
        canonical(bad)


def test_it_passes_an_untouched_chain():
    entries = build()
    result = verify(entries)
    assert result.ok and result.count == 12 and result.head_seq == 12
    assert result.head_hash == entries[-1].hash
    assert entries[0].prev_hash == GENESIS and entries[0].seq == 1
    assert verify([]).ok and verify([]).head_hash == GENESIS
    assert "12" in result.message


def test_it_passes_a_chain_in_pieces():
    entries = build()
    assert verify(entries[5:], after=entries[4]).head_hash == entries[-1].hash


def test_the_hash_covers_seq_time_kind_and_previous_hash():
    base = (3, T0, "record.version", b"{}", GENESIS)
    digest = entry_hash(*base)
    for index, other in enumerate((4, T0 + timedelta(microseconds=1), "record.review", b"{ }", "1" * 64)):
        changed = list(base)
        changed[index] = other
        assert entry_hash(*changed) != digest
    assert entry_hash(3, T0.astimezone(BEIJING), "record.version", b"{}", GENESIS) == digest


def test_it_names_a_changed_entry():
    entries = build()
    entries[4] = dataclasses.replace(entries[4], payload=entries[4].payload.replace("完成".encode(), "未完成".encode()))
    result = verify(entries)
    assert (result.ok, result.bad_seq, result.reason) == (False, 5, "changed")
    assert result.count == 4 and result.head_hash == entries[3].hash
    assert result.message == "第 5 号账本条目内容被改动"


def test_it_names_an_entry_changed_and_rehashed_by_its_successor():
    entries = build()
    old = entries[4]
    body = canonical({"record": 5, "title": "改过的", "stage": "完成"})
    entries[4] = dataclasses.replace(old, payload=body, hash=entry_hash(5, old.at, old.kind, body, old.prev_hash))
    result = verify(entries)
    assert (result.bad_seq, result.reason, result.count) == (5, "changed", 4)


def test_it_names_a_removed_entry():
    entries = build()
    del entries[4]
    result = verify(entries)
    assert (result.ok, result.bad_seq, result.reason, result.count) == (False, 5, "removed", 4)
    assert result.message == "第 5 号账本条目被删除"


def test_it_names_entries_removed_from_the_end_only_with_the_expected_head():
    entries = build()
    head = (entries[-1].seq, entries[-1].hash)
    assert verify(entries[:-2]).ok
    result = verify(entries[:-2], expected_head=head)
    assert (result.bad_seq, result.reason) == (11, "removed")


def test_it_names_reordered_entries():
    entries = build()
    entries[4], entries[5] = entries[5], entries[4]
    result = verify(entries)
    assert (result.ok, result.bad_seq, result.reason, result.count) == (False, 5, "reordered", 4)


def test_it_names_an_entry_moved_far_back():
    entries = build()
    moved = entries.pop(2)
    entries.insert(9, moved)
    assert (verify(entries).bad_seq, verify(entries).reason) == (3, "reordered")


def test_it_names_an_inserted_entry():
    entries = build()
    entries.insert(4, forge(entries[3], 5))
    result = verify(entries)
    assert (result.ok, result.bad_seq, result.reason, result.count) == (False, 5, "inserted", 4)
    assert result.head_hash == entries[3].hash


def test_it_names_an_inserted_entry_with_the_rest_renumbered():
    entries = build()
    renumbered = [dataclasses.replace(entry, seq=entry.seq + 1) for entry in entries[4:]]
    entries = [*entries[:4], forge(entries[3], 5), *renumbered]
    assert (verify(entries).bad_seq, verify(entries).reason) == (5, "inserted")


def test_it_names_an_inserted_entry_with_a_made_up_hash():
    entries = build()
    intruder = dataclasses.replace(forge(entries[3], 5), hash="f" * 64)
    entries.insert(4, intruder)
    assert (verify(entries).bad_seq, verify(entries).reason) == (5, "inserted")


def test_it_names_an_entry_appended_behind_the_heads_back():
    entries = build()
    head = (entries[-1].seq, entries[-1].hash)
    entries.append(forge(entries[-1], 13))
    assert verify(entries).ok  # a chain alone cannot tell: hence the head row and the anchor
    result = verify(entries, expected_head=head)
    assert (result.bad_seq, result.reason) == (13, "inserted")


def test_it_refuses_to_number_an_entry_out_of_turn():
    entries = build(2)
    with pytest.raises(ValueError):
        next_entry(entries[-1], seq=4, at=T0, kind="record.version", payload={})


def test_it_verifies_a_stream_without_holding_it():
    def stream():
        prev = None
        for seq in range(1, 5001):
            prev = next_entry(prev, seq=seq, at=T0, kind="k", payload=b"{}")
            yield prev
    result = verify(stream())
    assert result.ok and result.count == 5000


def test_it_anchors_the_head_in_one_line_that_can_be_read_back():
    entries = build()
    line = anchor(entries[-1], datetime(2026, 4, 1, 8, 0, tzinfo=BEIJING))
    assert "\n" not in line and "锚定时间 2026-04-01 08:00" in line  # the unit's local time, to the minute
    assert parse_anchor(line) == (12, entries[-1].hash)
    assert verify(entries, expected_head=parse_anchor(line)).ok
    assert parse_anchor(anchor(None, T0)) == (0, GENESIS)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_it_catches_any_single_byte_change_of_any_payload_at_that_entry(data):
    entries = build(8)
    position = data.draw(st.integers(0, len(entries) - 1))
    payload = entries[position].payload
    offset = data.draw(st.integers(0, len(payload) - 1))
    value = data.draw(st.integers(0, 255).filter(lambda byte: byte != payload[offset]))
    tampered = payload[:offset] + bytes([value]) + payload[offset + 1:]
    entries[position] = dataclasses.replace(entries[position], payload=tampered)
    result = verify(entries)
    assert (result.ok, result.bad_seq, result.reason) == (False, position + 1, "changed")


# --- signatures ------------------------------------------------------------------------------------

KEY = Signer(b"k" * 32)


def signed(n: int = 12) -> list[Entry]:
    items = ((T0 + timedelta(minutes=i), "record.version", {"record": i, "title": f"第{i}项重点任务"})
             for i in range(1, n + 1))
    return list(chain(items, signer=KEY))


def test_it_passes_a_signed_chain_with_its_key_and_not_with_another():
    entries = signed()
    assert all(entry.signature for entry in entries)
    assert verify(entries, signer=KEY).ok
    other = verify(entries, signer=Signer(b"x" * 32))
    assert (other.ok, other.bad_seq, other.reason) == (False, 1, "forged")
    assert "签名不符" in other.message


def test_it_names_an_entry_rewritten_and_rehashed_without_the_key_even_with_the_rest_of_the_chain():
    """Someone with the database and the (public) code rewrites entry 5 and re-hashes everything after
    it: the chain is consistent again, but the signatures are not."""
    entries = signed()
    body = canonical({"record": 5, "title": "改过的"})
    forged = next_entry(entries[3], seq=5, at=entries[4].at, kind="record.version", payload=body)
    rest = list(chain(((e.at, e.kind, e.payload) for e in entries[5:]), after=forged))
    rewritten = [*entries[:4], dataclasses.replace(forged, signature=entries[4].signature), *rest]
    assert verify(rewritten).ok  # the hashes alone cannot tell
    result = verify(rewritten, signer=KEY)
    assert (result.ok, result.bad_seq, result.reason, result.count) == (False, 5, "forged", 4)


def test_it_names_an_unsigned_entry_as_such():
    entries = signed()
    entries[6] = dataclasses.replace(entries[6], signature=None)
    result = verify(entries, signer=KEY)
    assert (result.ok, result.bad_seq, result.reason) == (False, 7, "unsigned")
    assert result.message.startswith("第 7 条未签名")
    assert verify(build(), signer=KEY).reason == "unsigned"  # a chain written before signatures


def test_the_head_signature_differs_from_the_entry_signature_and_covers_seq_and_hash():
    digest = "a" * 64
    assert KEY.head(3, digest) != KEY.entry(digest)
    assert KEY.head(3, digest) != KEY.head(4, digest) != KEY.head(3, "b" * 64)
    assert KEY.matches(KEY.head(3, digest), KEY.head(3, digest)) and not KEY.matches(None, KEY.head(3, digest))
    with pytest.raises(ValueError):
        Signer(b"")
