"""Helpers for audit tests: a chain of records, and raw SQL that goes around the ORM's refusal."""

from __future__ import annotations

from django.db import connection

from zhengtong.audit import services
from zhengtong.audit.models import AuditChainHead, AuditRecord

TABLE = AuditRecord._meta.db_table
HEAD_TABLE = AuditChainHead._meta.db_table
COLUMNS = [f.column for f in AuditRecord._meta.concrete_fields if f.column != "id"]


def append(count: int, *, action: str = "test.thing.touch") -> list[AuditRecord]:
    """Append ``count`` records through the real service."""
    return [services.record(action=action, summary=f"record {i}", changes={"n": [i, i + 1]},
                            actor_name="测试员", ip_address="10.0.0.1") for i in range(count)]


def sql(statement: str, params: list | tuple = ()) -> int:
    """Run raw SQL as a person with database access but no audit key would; return the row count."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def row(seq: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(COLUMNS)} FROM {TABLE} WHERE seq = %s", [seq])
        values = cursor.fetchone()
    return dict(zip(["id", *COLUMNS], values, strict=True))
