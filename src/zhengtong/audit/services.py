"""Writing to the audit trail. Every service that changes state calls ``record`` in its transaction."""

from __future__ import annotations

import ipaddress
import json
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext as _

from zhengtong.audit.chain import compute_hash
from zhengtong.audit.models import AuditChainHead, AuditRecord
from zhengtong.core.middleware import current_request_info

logger = logging.getLogger("zhengtong.audit")


class AuditPermissionDenied(PermissionDenied):
    """The person may not do this with the audit trail."""


def record(
    *,
    actor=None,
    action: str,
    obj: Any = None,
    unit=None,
    summary: str = "",
    changes: dict | None = None,
    actor_name: str = "",
    ip_address: str | None = None,
) -> AuditRecord:
    """Append one record to the audit trail, chained to the previous one (same transaction).

    ``action`` is a dotted verb such as ``directory.person.create``; ``changes`` maps a field to
    ``[old, new]`` or holds any JSON-serialisable detail. The client address comes from the
    request being served unless given.
    """
    info = current_request_info()
    if ip_address is None and info is not None:
        ip_address = info.ip_address
    if unit is None and obj is not None:
        unit = obj if _is_unit(obj) else getattr(obj, "unit", None) or _primary_unit_of(obj)
    # Everything but the chain position is worked out before the head is locked, to hold it briefly.
    entry = AuditRecord(
        actor_id=getattr(actor, "pk", None),
        actor_name=(actor_name or (getattr(actor, "name", "") or getattr(actor, "username", "")))[:80],
        unit_id=getattr(unit, "pk", None),
        unit_name=(getattr(unit, "name", "") or "")[:100],
        action=action,
        object_type=_object_type(obj),
        object_id=str(getattr(obj, "pk", "") or "") if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        summary=str(summary)[:500],
        # normalised through JSON now, so the hash covers exactly what the database returns
        changes=json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder)),
        ip_address=_normalised_ip(ip_address),
    )
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        entry.seq = head.seq + 1
        entry.occurred_at = timezone.now()  # under the lock, so times never run backwards along the chain
        entry.prev_hash = head.hash
        entry.hash = compute_hash(entry)
        entry.save()
        AuditChainHead.objects.filter(id=1).update(seq=entry.seq, hash=entry.hash)
        return entry


def diff(instance, before: dict[str, Any], fields: list[str]) -> dict[str, list[Any]]:
    """The fields of ``instance`` whose value differs from ``before``, as {field: [old, new]}."""
    changes = {}
    for name in fields:
        new = getattr(instance, name)
        new = getattr(new, "pk", new)
        if before.get(name) != new:
            changes[name] = [before.get(name), new]
    return changes


def snapshot(instance, fields: list[str]) -> dict[str, Any]:
    values = {}
    for name in fields:
        value = getattr(instance, name)
        values[name] = getattr(value, "pk", value)
    return values


def record_verification(*, batch_size: int | None = None) -> AuditRecord:
    """Verify the whole chain and write the outcome into it (nightly task; no person acts).

    The walk runs outside a transaction: on SQLite a write transaction would hold the database's
    write lock for as long as the walk takes. Only the outcome is written, in its own transaction.

    The outcome also goes to the log, outside the database, with the head's sequence number and
    hash: kept there, it is an anchor for ``audit_verify --anchor`` should the head be rewritten.
    """
    from zhengtong.audit.verify import DEFAULT_BATCH_SIZE, verify_chain

    outcome = verify_chain(batch_size=batch_size or DEFAULT_BATCH_SIZE)
    if outcome.ok:
        logger.info("audit chain verified: %d records, head %d %s", outcome.checked, outcome.head_seq,
                    outcome.head_hash)
        return record(action="audit.chain.verified", actor_name=_("System"),
                      summary=_("Verified %(count)d audit records: the chain is intact")
                      % {"count": outcome.checked},
                      changes={"checked": outcome.checked, "head_seq": outcome.head_seq,
                               "head_hash": outcome.head_hash})
    problem = outcome.problem
    logger.error("audit chain broken at record %d: %s", problem.seq, problem.reason.value)
    return record(action="audit.chain.broken", actor_name=_("System"),
                  summary=_("The audit chain is broken at record %(seq)d: %(reason)s")
                  % {"seq": problem.seq, "reason": problem.explanation},
                  changes={"seq": problem.seq, "reason": problem.reason.value, "checked": outcome.checked,
                           "head_seq": outcome.head_seq})


@transaction.atomic
def record_export(*, actor, count: int, filters: dict[str, Any]) -> AuditRecord:
    """Note in the trail that ``actor`` exported ``count`` audit records (operators only)."""
    from zhengtong.directory.selectors import is_platform_operator

    if not is_platform_operator(actor):
        raise AuditPermissionDenied(_("Only platform operators export the audit trail."))
    return record(actor=actor, action="audit.records.export",
                  summary=_("Exported %(count)d audit records to Excel") % {"count": count},
                  changes={"filters": filters, "count": count})


def _normalised_ip(value: str | None) -> str | None:
    """The address as the database will hand it back (so the hash still matches), or None if invalid."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        if ":" in value:
            return clean_ipv6_address(value)
        return str(ipaddress.IPv4Address(value))
    except (ValidationError, ValueError):
        return None


def _primary_unit_of(obj):
    """For a person (sign-ins, password changes): their primary unit, so that unit's admins see it."""
    from django.contrib.auth import get_user_model

    if not isinstance(obj, get_user_model()) or obj.pk is None:
        return None
    from zhengtong.directory.selectors import units_of

    return units_of(obj).first()


def _is_unit(obj) -> bool:
    return obj.__class__.__name__ == "Unit" and obj._meta.app_label == "directory"


def _object_type(obj) -> str:
    if obj is None:
        return ""
    meta = getattr(obj, "_meta", None)
    return f"{meta.app_label}.{meta.model_name}" if meta else type(obj).__name__
