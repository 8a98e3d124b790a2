"""``audit_verify`` (``zhengtong audit verify``): its report and its exit status."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhengtong.audit.models import AuditRecord

from .tamper import TABLE, sql


def _run(*args) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=StringIO())
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_an_intact_chain_passes_with_a_chinese_summary_and_the_head_to_keep(chain):
    output, error = _run()
    assert error is None
    assert "审计链完整：共校验 120 条记录" in output
    head = AuditRecord.objects.get(seq=120).hash
    assert f"--anchor 120:{head}" in output


def test_the_report_can_be_in_english(chain):
    output, error = _run("--language", "en")
    assert error is None
    assert "The audit chain is intact: 120 records checked" in output


def test_an_altered_record_exits_with_status_1_naming_its_seq_time_action_and_reason(chain):
    sql(f"UPDATE {TABLE} SET summary = %s WHERE seq = %s", ["改过了", 73])
    record = AuditRecord.objects.get(seq=73)
    output, error = _run("--batch-size", "50")
    assert error is not None and error.returncode == 1
    assert "73" in str(error)
    assert "审计链已损坏" in output
    assert "序号：73" in output
    assert record.occurred_at.astimezone().strftime("%Y-%m-%d") in output
    assert "test.thing.touch" in output
    assert "记录内容与其哈希值不符" in output
    assert "此前的 72 条记录完好" in output


def test_a_removed_record_is_reported_in_english_with_the_missing_number(chain):
    sql(f"DELETE FROM {TABLE} WHERE seq = %s", [100])
    output, error = _run("--language", "en")
    assert error.returncode == 1
    assert "Sequence number: 101" in output
    assert "record 100 is missing" in output


def test_a_truncated_tail_is_reported_with_the_record_missing(chain):
    sql(f"DELETE FROM {TABLE} WHERE seq > %s", [115])
    output, error = _run()
    assert error.returncode == 1
    assert "序号：116" in output
    assert "（记录已缺失）" in output
    assert "截断" in output


def test_an_anchor_is_checked(chain):
    good = f"10:{AuditRecord.objects.get(seq=10).hash}"
    assert _run("--anchor", good)[1] is None
    output, error = _run("--anchor", "10:" + "0" * 64)
    assert error.returncode == 1
    assert "锚点" in output


@pytest.mark.parametrize("args", [("--anchor", "10-abc"), ("--batch-size", "0")])
def test_bad_options_are_refused_with_status_2(db, args):
    output, error = _run(*args)
    assert error is not None and error.returncode == 2
    assert output == ""
