"""The `zhengtong` command line: every subcommand has its own help, and `python -m zhengtong` works."""

from __future__ import annotations

import subprocess
import sys

import pytest

from zhengtong import cli

SUBCOMMANDS = ["serve", "worker", "migrate", "demo", "createadmin", "backup", "restore", "check", "audit"]


def test_top_level_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in [*SUBCOMMANDS, "manage"]:
        assert f"\n    {name} " in out, name


@pytest.mark.parametrize("argv", [[name, "--help"] for name in SUBCOMMANDS] + [["audit", "verify", "--help"]])
def test_each_subcommand_has_its_own_help(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: zhengtong {' '.join(argv[:-1])}")


def test_serve_help_documents_port_workers_and_no_worker(capsys):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    out = capsys.readouterr().out
    for option in ("--port", "--host", "--workers", "--no-worker"):
        assert option in out


def test_unknown_subcommand_is_an_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["frobnicate"])
    assert exit_info.value.code == 2


def test_python_dash_m_zhengtong_runs_the_same_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "zhengtong", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0
    assert "createadmin" in result.stdout


def test_manage_passes_through_to_django(capsys, db):
    assert cli.main(["manage", "showmigrations", "directory"]) == 0
    assert "[X] 0001_initial" in capsys.readouterr().out


def test_bad_configuration_is_reported_in_chinese_without_a_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "ZHENGTONG_DATA_DIR": str(tmp_path), "ZHENGTONG_DEBUG": "maybe"}
    result = subprocess.run([sys.executable, "-m", "zhengtong", "check"], capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.returncode == 2
    assert "配置有误" in result.stderr
    assert "ZHENGTONG_DEBUG" in result.stderr
    assert "Traceback" not in result.stderr


def test_audit_verify_passes_on_an_intact_trail_and_propagates_the_failure_status(cast, capsys):
    from django.db import connection

    from zhengtong.audit.models import AuditRecord

    assert cli.main(["audit", "verify"]) == 0
    record = AuditRecord.objects.order_by("seq")[2]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditRecord._meta.db_table} SET summary = %s WHERE seq = %s", ["改过了", record.seq])
    status = cli.main(["audit", "verify"])
    assert status not in (0, None)
    assert str(record.seq) in capsys.readouterr().err


def test_demo_delegates_to_the_demo_command(db, monkeypatch):
    calls = []
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **kw: calls.append((a, kw)))
    monkeypatch.setattr("django.core.management.get_commands", lambda: {"demo": "zhengtong.demo"})
    assert cli.main(["demo", "--if-empty"]) == 0
    assert calls == [(("demo",), {"if_empty": True})]
