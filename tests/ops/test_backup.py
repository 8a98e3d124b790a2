"""Backup and restore: the round trip brings the data back; a damaged archive is refused and changes nothing.

These tests dump and reload the test database itself (connection.settings_dict at run time), on
SQLite and — when ZHENGTONG_DATABASE_URL points at PostgreSQL — with pg_dump/pg_restore. They are
transactional so that what they write is committed and visible to the dump.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from zhengtong import cli
from zhengtong.ops import backup
from zhengtong.ops.console import OpsError

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def install(settings, tmp_path):
    """A data directory with keys and a stored-files directory holding two files."""
    data_dir = tmp_path / "data"
    media = data_dir / "media"
    (media / "documents" / "2026").mkdir(parents=True)
    (media / "documents" / "2026" / "关于春节值班的通知.pdf").write_bytes(b"%PDF-1.7 notice")
    (media / "avatar.png").write_bytes(bytes(range(256)) * 40)
    (data_dir / "secret_key").write_text("s" * 86)
    (data_dir / "audit_key").write_text("a" * 86)
    (data_dir / "seal_keys" / "AGR001").mkdir(parents=True)
    (data_dir / "seal_keys" / "AGR001" / "seal-1.pem").write_bytes(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    settings.DATA_DIR = data_dir
    settings.SEAL_KEY_DIR = data_dir / "seal_keys"
    settings.MEDIA_ROOT = media
    return data_dir


def _register(name: str, code: str):
    from zhengtong.directory import services as directory
    from zhengtong.directory.defaults import load_defaults
    from zhengtong.directory.models import Role, UnitCategory

    load_defaults(Role, UnitCategory)
    category = UnitCategory.objects.get(code="zhengfu")
    return directory.register_unit(actor=None, name=name, code=code, category=category)


def _unit_names() -> set[str]:
    from zhengtong.directory.models import Unit

    return set(Unit.objects.values_list("name", flat=True))


def _files(media: Path) -> dict[str, bytes]:
    return {p.relative_to(media).as_posix(): p.read_bytes() for p in sorted(media.rglob("*")) if p.is_file()}


def _repack(source: Path, target: Path, *, change=None, drop=(), manifest=None) -> None:
    """Copy an archive member by member, altering the bytes of some (the manifest is kept unless given)."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            if member.name in drop:
                continue
            data = old.extractfile(member).read()
            if member.name == backup.MANIFEST and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif change and member.name in change:
                data = change[member.name](data)
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


def test_backup_then_change_then_restore_brings_everything_back(install, tmp_path, capsys):
    _register("鹤山区档案馆", "ARC001")
    media = Path(install / "media")
    files_before = _files(media)
    archive = tmp_path / "zhengtong.tar.gz"

    assert cli.main(["backup", str(archive)]) == 0
    assert "备份已写入" in capsys.readouterr().out
    assert archive.stat().st_mode & 0o077 == 0  # it holds the keys

    # Life goes on: a unit is renamed away, another registered, files change, keys change.
    from zhengtong.directory.models import Unit

    Unit.objects.filter(code="ARC001").delete()
    _register("鹤山区新设局", "NEW001")
    (media / "avatar.png").unlink()
    (media / "later.txt").write_text("written after the backup")
    (install / "audit_key").write_text("b" * 86)
    seal_key = install / "seal_keys" / "AGR001" / "seal-1.pem"
    seal_key.unlink()  # e.g. a disk lost with the data directory
    later_key = install / "seal_keys" / "AGR001" / "seal-2.pem"
    later_key.write_bytes(b"made after the backup")

    assert cli.main(["restore", str(archive), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "备份文件完好" in out and "已恢复" in out
    assert "鹤山区档案馆" in _unit_names()
    assert "鹤山区新设局" not in _unit_names()
    assert _files(media) == files_before
    assert (install / "audit_key").read_text() == "a" * 86
    assert seal_key.read_bytes() == b"-----BEGIN ENCRYPTED PRIVATE KEY-----"
    assert seal_key.stat().st_mode & 0o077 == 0
    assert later_key.read_bytes() == b"made after the backup", "a seal key made later is kept"
    assert not list(media.parent.glob(".zhengtong-restore-*")), "the staging directory is cleaned up"


def test_the_manifest_lists_every_member_with_its_checksum_and_the_migration_state(install, tmp_path):
    archive = tmp_path / "b.tar.gz"
    manifest = backup.create_backup(archive)
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["directory"]
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
    assert names[-1] == backup.MANIFEST
    assert set(names[:-1]) == set(manifest["members"])
    assert "media/documents/2026/关于春节值班的通知.pdf" in manifest["members"]
    assert {"keys/secret_key", "keys/audit_key", "keys/seal_keys/AGR001/seal-1.pem"} <= set(manifest["members"])


def test_an_existing_file_is_not_overwritten_without_asking(install, tmp_path, capsys):
    archive = tmp_path / "b.tar.gz"
    archive.write_text("an older backup")
    assert cli.main(["backup", str(archive)]) == 1
    assert "已存在" in capsys.readouterr().err
    assert archive.read_text() == "an older backup"


def test_restore_without_confirmation_changes_nothing(install, tmp_path, monkeypatch, capsys):
    archive = tmp_path / "b.tar.gz"
    backup.create_backup(archive)
    _register("鹤山区新设局", "NEW001")
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    assert cli.main(["restore", str(archive)]) == 1
    assert "已取消恢复，未做任何改动" in capsys.readouterr().err
    assert "鹤山区新设局" in _unit_names()


def _refused(archive: Path, install: Path, capsys) -> str:
    """Restore ``archive`` and expect a refusal that leaves the database and files as they were."""
    media = install / "media"
    units, files = _unit_names(), _files(media)
    status = cli.main(["restore", str(archive), "--yes"])
    err = capsys.readouterr().err
    assert status != 0
    assert _unit_names() == units
    assert _files(media) == files
    assert not list(media.parent.glob(".zhengtong-restore-*"))
    return err


@pytest.fixture
def good_archive(install, tmp_path) -> Path:
    archive = tmp_path / "good.tar.gz"
    backup.create_backup(archive)
    _register("鹤山区新设局", "NEW001")  # the change a bad restore must not undo
    return archive


def test_a_truncated_archive_is_refused(good_archive, install, tmp_path, capsys):
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(good_archive.read_bytes()[: good_archive.stat().st_size // 2])
    assert "已损坏或不完整" in _refused(truncated, install, capsys)


def test_a_flipped_byte_is_refused(good_archive, install, tmp_path, capsys):
    data = bytearray(good_archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    flipped = tmp_path / "flipped.tar.gz"
    flipped.write_bytes(bytes(data))
    err = _refused(flipped, install, capsys)
    assert "已损坏或不完整" in err or "校验和不符" in err


def test_an_altered_member_is_refused_by_name(good_archive, install, tmp_path, capsys):
    altered = tmp_path / "altered.tar.gz"
    _repack(good_archive, altered, change={"media/avatar.png": lambda data: b"X" + data[1:]})
    assert "成员 media/avatar.png 的校验和不符" in _refused(altered, install, capsys)


def test_an_archive_without_manifest_is_refused(good_archive, install, tmp_path, capsys):
    bare = tmp_path / "bare.tar.gz"
    _repack(good_archive, bare, drop={backup.MANIFEST})
    assert "没有 manifest.json" in _refused(bare, install, capsys)


def test_a_missing_member_is_refused(good_archive, install, tmp_path, capsys):
    partial = tmp_path / "partial.tar.gz"
    _repack(good_archive, partial, drop={"media/avatar.png"})
    assert "media/avatar.png" in _refused(partial, install, capsys)


def test_an_archive_from_the_other_database_is_refused(good_archive, install, tmp_path, capsys):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def from_other(manifest):
        manifest["database"]["vendor"] = other
        return manifest

    foreign = tmp_path / "foreign.tar.gz"
    _repack(good_archive, foreign, manifest=from_other)
    err = _refused(foreign, install, capsys)
    theirs, ours = backup.VENDOR_NAMES[other], backup.VENDOR_NAMES[connection.vendor]
    assert f"该备份来自 {theirs} 数据库，而本安装使用 {ours}" in err


def test_a_newer_format_is_refused(good_archive, install, tmp_path, capsys):
    def newer(manifest):
        manifest["format_version"] = backup.FORMAT_VERSION + 1
        return manifest

    future = tmp_path / "future.tar.gz"
    _repack(good_archive, future, manifest=newer)
    assert "请先升级政通" in _refused(future, install, capsys)


def test_a_backup_from_a_newer_schema_is_refused(good_archive, install, tmp_path, capsys):
    def newer(manifest):
        manifest["migrations"]["directory"].append("9999_from_the_future")
        return manifest

    future = tmp_path / "future.tar.gz"
    _repack(good_archive, future, manifest=newer)
    assert "directory.9999_from_the_future" in _refused(future, install, capsys)


def test_something_that_is_not_an_archive_is_refused(install, tmp_path, capsys):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(gzip.compress(b"just some text, not a tar file" * 100))
    err = _refused(junk, install, capsys)
    assert "已损坏或不完整" in err or "没有 manifest.json" in err


def test_a_member_outside_the_archive_layout_is_refused(good_archive, install, tmp_path, capsys):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(good_archive, "r:gz") as old, tarfile.open(evil, "w:gz") as new:
        for member in old:
            new.addfile(member, old.extractfile(member))
        info = tarfile.TarInfo("media/../../escape.txt")
        info.size = 3
        new.addfile(info, io.BytesIO(b"bad"))
    assert "不允许的成员" in _refused(evil, install, capsys)
    assert not (tmp_path / "escape.txt").exists()


def test_check_only_verifies_and_changes_nothing(good_archive, install, capsys):
    assert cli.main(["restore", str(good_archive), "--check-only"]) == 0
    assert "备份文件完好" in capsys.readouterr().out
    assert "鹤山区新设局" in _unit_names()
