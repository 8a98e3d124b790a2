"""Tampering with the audit trail is found, and the first bad record is named with the right reason."""

from __future__ import annotations

import hashlib

import pytest

from zhengtong.audit import services
from zhengtong.audit.chain import compute_hash
from zhengtong.audit.models import AppendOnlyError, AuditChainHead, AuditRecord
from zhengtong.audit.verify import Reason, verify_chain, verify_record

from .tamper import COLUMNS, HEAD_TABLE, TABLE, append, row, sql


def test_an_untouched_chain_of_hundreds_of_records_verifies_across_batches(db):
    append(300)
    outcome = verify_chain(batch_size=64)
    assert outcome.ok, outcome.problem
    assert outcome.checked == 300
    assert outcome.head_seq == 300
    assert outcome.head_hash == AuditRecord.objects.get(seq=300).hash


def test_an_empty_trail_verifies(db):
    outcome = verify_chain()
    assert outcome.ok
    assert outcome.checked == 0


def test_progress_is_reported_after_every_batch(chain):
    seen = []
    verify_chain(batch_size=50, progress=seen.append)
    assert seen == [50, 100, 120]


def test_a_batch_size_below_one_is_refused(db):
    with pytest.raises(ValueError):
        verify_chain(batch_size=0)


def test_the_orm_refuses_to_update_or_delete_records(chain):
    record = AuditRecord.objects.get(seq=10)
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(seq=10).update(summary="changed")
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(seq=10).delete()
    record.summary = "changed"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    assert AuditRecord.objects.get(seq=10).summary == "record 9"
    assert verify_chain().ok


def test_a_summary_altered_with_raw_sql_is_named_as_altered(chain):
    assert sql(f"UPDATE {TABLE} SET summary = %s WHERE seq = %s", ["nothing happened", 57]) == 1
    problem = verify_chain(batch_size=50).problem
    assert problem.reason == Reason.ALTERED
    assert problem.seq == 57
    assert problem.record.summary == "nothing happened"


def test_altered_changes_are_found_too(chain):
    sql(f"UPDATE {TABLE} SET changes = %s WHERE seq = %s", ['{"n": [0, 999]}', 100])
    problem = verify_chain().problem
    assert (problem.reason, problem.seq) == (Reason.ALTERED, 100)


def test_a_record_deleted_with_raw_sql_leaves_a_gap_named_at_the_next_record(chain):
    assert sql(f"DELETE FROM {TABLE} WHERE seq = %s", [40]) == 1
    problem = verify_chain(batch_size=16).problem
    assert problem.reason == Reason.GAP
    assert problem.seq == 41
    assert "40" in problem.detail


def test_several_deleted_records_are_named_as_one_range(chain):
    sql(f"DELETE FROM {TABLE} WHERE seq BETWEEN %s AND %s", [1, 3])
    problem = verify_chain().problem
    assert (problem.reason, problem.seq) == (Reason.GAP, 4)
    assert "1" in problem.detail and "3" in problem.detail


def _make_room_after(seq: int) -> None:
    """Renumber every record after ``seq`` one up, in two steps so the unique index never clashes."""
    sql(f"UPDATE {TABLE} SET seq = seq + 1000000 WHERE seq > %s", [seq])
    sql(f"UPDATE {TABLE} SET seq = seq - 999999 WHERE seq > 1000000")


def _forge_after(seq: int, *, summary: str, hash_value: str | None) -> None:
    """Insert a copy of record ``seq`` as ``seq + 1`` with another summary, linked to ``seq``."""
    previous = row(seq)
    columns = ", ".join(COLUMNS)
    selected = ", ".join({"seq": "%s", "summary": "%s", "prev_hash": "%s", "hash": "%s"}.get(c, c)
                         for c in COLUMNS)
    params = {"seq": seq + 1, "summary": summary, "prev_hash": previous["hash"],
              "hash": hash_value or hashlib.sha256(summary.encode()).hexdigest()}
    sql(f"INSERT INTO {TABLE} ({columns}) SELECT {selected} FROM {TABLE} WHERE seq = %s",
        [params[c] for c in COLUMNS if c in params] + [seq])


def test_a_forged_record_inserted_in_the_middle_is_named(chain):
    _make_room_after(50)
    _forge_after(50, summary="批准了不存在的请求", hash_value=None)
    problem = verify_chain().problem
    assert problem.seq == 51
    assert problem.reason == Reason.ALTERED
    assert problem.record.summary == "批准了不存在的请求"


def test_a_record_inserted_in_the_middle_with_a_valid_hash_is_named_as_out_of_order(chain):
    """Even a forger holding the audit key is caught: the inserted row was written after its successors."""
    _make_room_after(50)
    _forge_after(50, summary="forged", hash_value="0" * 64)
    forged = AuditRecord.objects.get(seq=51)
    sql(f"UPDATE {TABLE} SET hash = %s WHERE seq = 51", [compute_hash(forged)])
    problem = verify_chain().problem
    assert (problem.reason, problem.seq) == (Reason.OUT_OF_ORDER, 51)
    assert problem.record.summary == "forged"


def test_a_truncated_tail_is_found_through_the_chain_head(chain):
    assert sql(f"DELETE FROM {TABLE} WHERE seq > %s", [110]) == 10
    outcome = verify_chain(batch_size=50)
    problem = outcome.problem
    assert problem.reason == Reason.TRUNCATED
    assert problem.seq == 111
    assert problem.record is None
    assert "111" in problem.detail and "120" in problem.detail
    assert outcome.checked == 110


def test_a_whole_chain_removed_is_found_through_the_chain_head(chain):
    sql(f"DELETE FROM {TABLE}")
    problem = verify_chain().problem
    assert (problem.reason, problem.seq) == (Reason.TRUNCATED, 1)


def test_a_truncation_that_also_rewrote_the_head_is_caught_by_an_anchor(chain):
    anchor = (120, AuditRecord.objects.get(seq=120).hash)
    sql(f"DELETE FROM {TABLE} WHERE seq > %s", [110])
    sql(f"UPDATE {HEAD_TABLE} SET seq = %s, hash = %s WHERE id = 1", [110, AuditRecord.objects.get(seq=110).hash])
    assert verify_chain().ok  # the chain alone cannot tell: that is what the anchor is for
    problem = verify_chain(anchor=anchor).problem
    assert (problem.reason, problem.seq, problem.record) == (Reason.ANCHOR_MISMATCH, 120, None)


def test_an_anchor_whose_hash_differs_is_named(chain):
    problem = verify_chain(anchor=(60, "f" * 64)).problem
    assert (problem.reason, problem.seq) == (Reason.ANCHOR_MISMATCH, 60)


def test_a_matching_anchor_verifies(chain):
    assert verify_chain(anchor=(60, AuditRecord.objects.get(seq=60).hash)).ok


def test_swapping_two_rows_content_is_named_as_altered(chain):
    """Summary, action and actor swapped between two rows; numbers and hashes left in place."""
    first, second = row(30), row(90)
    for target, source in ((first, second), (second, first)):
        sql(f"UPDATE {TABLE} SET summary = %s, actor_name = %s, action = %s WHERE id = %s",
            [source["summary"], source["actor_name"], source["action"], target["id"]])
    problem = verify_chain().problem
    assert (problem.reason, problem.seq) == (Reason.ALTERED, 30)


def test_swapping_two_whole_rows_hashes_and_all_is_named_as_out_of_order(chain):
    """Every column but the row id swapped: each record's hash and link still hold, the write order does not."""
    first, second = row(30), row(90)
    assignments = ", ".join(f"{c} = %s" for c in COLUMNS)
    sql(f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [10_000_000, first["id"]])
    sql(f"UPDATE {TABLE} SET {assignments} WHERE id = %s", [first[c] for c in COLUMNS] + [second["id"]])
    sql(f"UPDATE {TABLE} SET {assignments} WHERE id = %s", [second[c] for c in COLUMNS] + [first["id"]])
    problem = verify_chain(batch_size=7).problem
    assert (problem.reason, problem.seq) == (Reason.OUT_OF_ORDER, 30)


def test_a_broken_link_is_named(chain):
    """A record whose own hash was recomputed by a key holder, but which points at the wrong predecessor."""
    sql(f"UPDATE {TABLE} SET prev_hash = %s WHERE seq = 77", ["a" * 64])
    record = AuditRecord.objects.get(seq=77)
    sql(f"UPDATE {TABLE} SET hash = %s WHERE seq = 77", [compute_hash(record)])
    problem = verify_chain().problem
    assert (problem.reason, problem.seq) == (Reason.BROKEN_LINK, 77)


def test_a_head_that_does_not_match_the_last_record_is_named(chain):
    sql(f"UPDATE {HEAD_TABLE} SET hash = %s WHERE id = 1", ["b" * 64])
    problem = verify_chain().problem
    assert (problem.reason, problem.seq) == (Reason.HEAD_MISMATCH, 120)


def test_a_record_written_beyond_the_head_is_named(chain):
    _forge_after(120, summary="appended around the service", hash_value=None)
    problem = verify_chain().problem
    assert (problem.reason, problem.seq) == (Reason.BEYOND_HEAD, 121)


def test_a_missing_head_with_records_is_named(chain):
    sql(f"DELETE FROM {HEAD_TABLE}")
    problem = verify_chain().problem
    assert (problem.reason, problem.seq) == (Reason.HEAD_MISSING, 1)


def test_records_appended_after_tampering_do_not_hide_it(chain):
    sql(f"UPDATE {TABLE} SET summary = %s WHERE seq = %s", ["x", 5])
    append(20)
    problem = verify_chain().problem
    assert (problem.reason, problem.seq) == (Reason.ALTERED, 5)


def test_an_ipv6_address_is_stored_so_that_its_hash_still_matches(db):
    entry = services.record(action="test.thing.touch", ip_address="2001:DB8:0:0::1")
    assert AuditRecord.objects.get(pk=entry.pk).ip_address == "2001:db8::1"
    services.record(action="test.thing.touch", ip_address="not an address")
    assert AuditRecord.objects.get(seq=2).ip_address is None
    assert verify_chain().ok


def test_verify_record_checks_one_record_and_its_link(chain):
    assert verify_record(AuditRecord.objects.get(seq=1)) is None
    assert verify_record(AuditRecord.objects.get(seq=60)) is None
    sql(f"UPDATE {TABLE} SET summary = %s WHERE seq = %s", ["changed", 60])
    assert verify_record(AuditRecord.objects.get(seq=60)).reason == Reason.ALTERED
    sql(f"DELETE FROM {TABLE} WHERE seq = %s", [99])
    assert verify_record(AuditRecord.objects.get(seq=100)).reason == Reason.GAP


def test_the_head_follows_every_append(db):
    records = append(3)
    head = AuditChainHead.objects.get(id=1)
    assert (head.seq, head.hash) == (3, records[-1].hash)
    assert [r.prev_hash for r in records[1:]] == [r.hash for r in records[:-1]]
