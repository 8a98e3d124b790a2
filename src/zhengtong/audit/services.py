"""Writing to the audit trail. Every service that changes state calls ``record`` in its transaction."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from zhengtong.audit.chain import compute_hash
from zhengtong.audit.models import AuditChainHead, AuditRecord
from zhengtong.core.middleware import current_request_info


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
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        info = current_request_info()
        if ip_address is None and info is not None:
            ip_address = info.ip_address
        if unit is None and obj is not None:
            unit = getattr(obj, "unit", None) if not _is_unit(obj) else obj
        entry = AuditRecord(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_name=(actor_name or (getattr(actor, "name", "") or getattr(actor, "username", "")))[:80],
            unit_id=getattr(unit, "pk", None),
            unit_name=(getattr(unit, "name", "") or "")[:100],
            action=action,
            object_type=_object_type(obj),
            object_id=str(getattr(obj, "pk", "") or "") if obj is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            summary=summary[:500],
            # normalised through JSON now, so the hash covers exactly what the database returns
            changes=json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder)),
            ip_address=ip_address,
            prev_hash=head.hash,
        )
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


def _is_unit(obj) -> bool:
    return obj.__class__.__name__ == "Unit" and obj._meta.app_label == "directory"


def _object_type(obj) -> str:
    if obj is None:
        return ""
    meta = getattr(obj, "_meta", None)
    return f"{meta.app_label}.{meta.model_name}" if meta else type(obj).__name__
