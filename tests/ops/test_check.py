"""`zhengtong check`: ✓/✗ lines in Chinese, and a non-zero exit on any failure."""

from __future__ import annotations

import pytest

from zhengtong import cli
from zhengtong.ops import checks
from zhengtong.ops.catalogues import compile_catalogues


@pytest.fixture
def calendar_covered(monkeypatch):
    """Pretend the holiday calendar covers every year (the real coverage is tested below)."""
    try:
        import zhengtong.workdays.selectors as workdays
    except ImportError:
        return
    monkeypatch.setattr(workdays, "year_is_covered", lambda year: True)


def test_check_on_a_good_installation_exits_zero(db, calendar_covered, capsys):
    compile_catalogues()  # what `make install` and `zhengtong migrate` do
    status = cli.main(["check"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "✗" not in out
    for label in ("数据目录可写", "数据库可连接", "数据库已迁移", "前端资源", "消息目录已编译", "任务队列"):
        assert label in out, label
    assert "全部检查通过" in out


def test_check_fails_in_chinese_when_the_data_directory_is_not_writable(db, calendar_covered, settings,
                                                                       tmp_path, capsys):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the data directory should be")
    settings.DATA_DIR = blocker
    status = cli.main(["check"])
    out = capsys.readouterr().out
    assert status == 1
    assert f"✗ 数据目录可写：{blocker} 不可写" in out
    assert "项检查未通过" in out


def test_check_fails_when_this_years_calendar_is_missing(db, monkeypatch):
    import zhengtong.workdays.selectors as workdays

    monkeypatch.setattr(workdays, "year_is_covered", lambda year: False)
    results = {r.label: r for r in checks._calendar()}
    assert any(r.failed for r in results.values())


def test_next_years_calendar_is_only_a_warning_before_december(db, monkeypatch):
    import datetime as dt

    import zhengtong.workdays.selectors as workdays

    monkeypatch.setattr(workdays, "year_is_covered", lambda year: year == 2026)
    november = checks._calendar(dt.date(2026, 11, 20))
    december = checks._calendar(dt.date(2026, 12, 1))
    assert [r.status for r in november] == [checks.OK, checks.WARNING]
    assert [r.status for r in december] == [checks.OK, checks.FAILED]


def test_check_fails_when_front_end_assets_are_missing(db, settings, tmp_path):
    settings.STATICFILES_DIRS = [("vendor/bootstrap", tmp_path / "node_modules" / "bootstrap" / "dist")]
    result = checks._assets()
    assert result.failed
    assert "npm ci" in result.detail


def test_check_fails_when_a_catalogue_is_not_compiled(tmp_path, monkeypatch):
    po = tmp_path / "app" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Yes"\nmsgstr "是"\n',
                  encoding="utf-8")
    monkeypatch.setattr("zhengtong.ops.catalogues.PACKAGE_DIR", tmp_path)
    assert checks._catalogues().failed
    assert compile_catalogues() == 1
    assert not checks._catalogues().failed
