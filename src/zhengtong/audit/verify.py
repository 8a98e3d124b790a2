"""Verifying the audit trail's hash chain (审计链校验).

The walk goes through the records in sequence order, a batch at a time (keyset pagination on the
unique ``seq`` index), so memory stays bounded however long the chain is. It stops at the first
bad record and says why:

* its content no longer matches its HMAC (altered);
* its ``prev_hash`` is not the hash of the record before it (a record replaced or inserted);
* sequence numbers are missing before it (records removed);
* it was written after records that follow it in the sequence (its row id is out of order:
  a record inserted or moved with its hash copied along);
* the chain head (AuditChainHead) names records that are gone (the tail removed), or does not
  match the last record, or records lie beyond it (written around the audit service).

Only the holder of ``AUDIT_KEY`` can compute a valid hash, so a person who can write to the
database but cannot read the key file cannot repair the chain after tampering with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtong.audit.chain import GENESIS, compute_hash
from zhengtong.audit.models import AuditChainHead, AuditRecord

DEFAULT_BATCH_SIZE = 5000


class Reason(models.TextChoices):
    """Why a record breaks the chain."""

    ALTERED = "altered", gettext_lazy("the record's content does not match its hash: it was altered")
    BROKEN_LINK = "broken_link", gettext_lazy(
        "its previous hash is not the hash of the record before it: a record was replaced or inserted")
    GAP = "gap", gettext_lazy("records before it are missing: they were removed")
    OUT_OF_ORDER = "out_of_order", gettext_lazy(
        "it was written after records that follow it in the sequence: it was inserted or moved")
    TRUNCATED = "truncated", gettext_lazy(
        "the chain head names later records that are missing: the end of the chain was removed")
    HEAD_MISMATCH = "head_mismatch", gettext_lazy("the chain head does not match the last record")
    BEYOND_HEAD = "beyond_head", gettext_lazy(
        "it lies beyond the chain head: it was written around the audit service")
    HEAD_MISSING = "head_missing", gettext_lazy("the chain head is missing")
    ANCHOR_MISMATCH = "anchor_mismatch", gettext_lazy(
        "the record does not carry the hash noted for it earlier (the anchor)")


@dataclass(frozen=True)
class Problem:
    """The first bad record: its sequence number, the record when it still exists, and why."""

    reason: Reason
    seq: int
    record: AuditRecord | None
    detail: str = ""

    @property
    def explanation(self) -> str:
        """The reason in the active language, with the specifics when there are any."""
        if not self.detail:
            return str(self.reason.label)
        return _("%(reason)s (%(detail)s)") % {"reason": self.reason.label, "detail": self.detail}


@dataclass(frozen=True)
class VerificationResult:
    checked: int
    head_seq: int
    head_hash: str
    problem: Problem | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(*, batch_size: int = DEFAULT_BATCH_SIZE, anchor: tuple[int, str] | None = None,
                 progress: Callable[[int], None] | None = None) -> VerificationResult:
    """Walk the whole chain and return the first bad record, or none.

    ``anchor`` is a (seq, hash) pair noted outside the database earlier (see ``audit_verify
    --anchor``): the record with that number must still exist and carry that hash, which catches a
    tail cut off by someone who also rewrote the chain head. ``progress`` is called with the
    number of records checked after every batch.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    started = time.monotonic()
    key = settings.AUDIT_KEY.encode()
    # Records appended while we walk are not ours to judge: everything up to this head was committed
    # together with it, so the walk stops there.
    head = AuditChainHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head is not None else (0, GENESIS)

    def result(problem: Problem | None, checked: int) -> VerificationResult:
        return VerificationResult(checked=checked, head_seq=head_seq, head_hash=head_hash, problem=problem,
                                  seconds=time.monotonic() - started)

    if head is None:
        first = AuditRecord.objects.order_by("seq").first()
        if first is not None:
            return result(Problem(Reason.HEAD_MISSING, first.seq, first), 0)
        return result(None, 0)

    anchor_seq, anchor_hash = anchor if anchor is not None else (None, None)
    prev: AuditRecord | None = None
    before_prev_id: int | None = None
    checked = 0
    while True:
        after = prev.seq if prev is not None else 0
        batch = list(AuditRecord.objects.filter(seq__gt=after, seq__lte=head_seq).order_by("seq")[:batch_size])
        if not batch:
            break
        for rec in batch:
            problem = _check(rec, prev, before_prev_id, key)
            if problem is None and rec.seq == anchor_seq and rec.hash != anchor_hash:
                problem = Problem(Reason.ANCHOR_MISMATCH, rec.seq, rec,
                                  _("expected %(expected)s") % {"expected": anchor_hash})
            if problem is not None:
                return result(problem, checked)
            before_prev_id = prev.pk if prev is not None else None
            prev = rec
            checked += 1
        if progress is not None:
            progress(checked)

    last_seq = prev.seq if prev is not None else 0
    if last_seq < head_seq:
        return result(Problem(Reason.TRUNCATED, last_seq + 1, None,
                              _("records %(first)d to %(last)d are missing; the last record is %(kept)d")
                              % {"first": last_seq + 1, "last": head_seq, "kept": last_seq}), checked)
    if prev is not None and prev.hash != head_hash:
        return result(Problem(Reason.HEAD_MISMATCH, prev.seq, prev), checked)
    # One statement, so a record appended meanwhile moves the head along with it and is not flagged.
    beyond = (AuditRecord.objects.filter(seq__gt=Subquery(AuditChainHead.objects.filter(id=1).values("seq")))
              .order_by("seq").first())
    if beyond is not None:
        return result(Problem(Reason.BEYOND_HEAD, beyond.seq, beyond), checked)
    if anchor_seq is not None and not (0 < anchor_seq <= last_seq):
        return result(Problem(Reason.ANCHOR_MISMATCH, anchor_seq, None,
                              _("record %(seq)d does not exist") % {"seq": anchor_seq}), checked)
    return result(None, checked)


def verify_record(record: AuditRecord) -> Problem | None:
    """Check one record on its own: its hash, and its link to the record before it (detail page)."""
    key = settings.AUDIT_KEY.encode()
    prev = AuditRecord.objects.filter(seq=record.seq - 1).first() if record.seq > 1 else None
    if record.seq > 1 and prev is None:
        return Problem(Reason.GAP, record.seq, record,
                       _("record %(seq)d is missing") % {"seq": record.seq - 1})
    return _check(record, prev, None, key, check_order=False)


def _check(rec: AuditRecord, prev: AuditRecord | None, before_prev_id: int | None, key: bytes, *,
           check_order: bool = True) -> Problem | None:
    if check_order and prev is not None and rec.pk < prev.pk:
        # Row ids grow in the order records were written, which is the chain's order (appends hold
        # the head's lock). Of the two, the odd one out is the record whose id also disagrees with
        # the record before the pair: if this one still follows that, the previous one was moved.
        if before_prev_id is None or rec.pk > before_prev_id:
            return Problem(Reason.OUT_OF_ORDER, prev.seq, prev)
        return Problem(Reason.OUT_OF_ORDER, rec.seq, rec)
    expected_seq = prev.seq + 1 if prev is not None else 1
    if rec.seq != expected_seq:
        if rec.seq > expected_seq:
            missing = (_("record %(seq)d is missing") % {"seq": expected_seq} if rec.seq == expected_seq + 1
                       else _("records %(first)d to %(last)d are missing")
                       % {"first": expected_seq, "last": rec.seq - 1})
            return Problem(Reason.GAP, rec.seq, rec, missing)
        return Problem(Reason.OUT_OF_ORDER, rec.seq, rec)
    if compute_hash(rec, key=key) != rec.hash:
        return Problem(Reason.ALTERED, rec.seq, rec)
    expected_prev = prev.hash if prev is not None else GENESIS
    if rec.prev_hash != expected_prev:
        return Problem(Reason.BROKEN_LINK, rec.seq, rec)
    return None
