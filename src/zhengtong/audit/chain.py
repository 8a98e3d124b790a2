"""The hash chain of the audit trail."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings

GENESIS = "0" * 64


def canonical(record) -> bytes:
    """The bytes that a record's hash covers: every field but the hash itself, in a fixed order."""
    payload = [
        record.seq, record.occurred_at.astimezone(UTC).isoformat(),
        record.actor_id, record.actor_name, record.unit_id, record.unit_name, record.action,
        record.object_type, str(record.object_id), record.object_repr, record.summary,
        record.changes, record.ip_address, record.prev_hash,
    ]
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(record, *, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the record's canonical bytes under the audit key (``key`` saves a settings look-up)."""
    if key is None:
        key = settings.AUDIT_KEY.encode()
    return hmac.new(key, canonical(record), hashlib.sha256).hexdigest()
