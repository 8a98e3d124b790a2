"""Backup and restore: one .tar.gz holding a consistent snapshot of the database, the stored files
(MEDIA_ROOT), the data directory's keys and a manifest.json with a sha256 and size per member.

Archive layout::

    database/zhengtong.sqlite3    SQLite: a snapshot by the online backup API
    database/zhengtong.pgdump     PostgreSQL: pg_dump --format=custom
    media/...                     every stored file
    keys/secret_key, keys/audit_key, keys/seal_ca_passphrase
    keys/seal_keys/...            the electronic seals' key files (each encrypted with its PIN)
    manifest.json                 last, so that it can list every member before it

A restore reads and checks the whole archive into a staging directory before it touches anything,
then swaps the files in and loads the database; if loading the database fails the old files are put
back. The database is snapshotted before the files are read, so every file the snapshot refers to
is in the archive (files are written before the row that names them is committed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TextIO

from django.utils.translation import gettext as _

from zhengtong.ops.console import OpsError

FORMAT = "zhengtong-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/zhengtong.sqlite3"
POSTGRES_MEMBER = "database/zhengtong.pgdump"
KEY_FILES = ("secret_key", "audit_key", "seal_ca_passphrase")
SEAL_KEYS_MEMBER = "keys/seal_keys"
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_CHUNK = 1024 * 1024
_MANIFEST_MAX = 64 * 1024 * 1024


# --- arguments shared by `zhengtong backup|restore` and `manage.py backup|restore` --------------------

def add_backup_arguments(parser) -> None:
    parser.add_argument("file", help="the archive to write, e.g. /srv/backup/zhengtong-2026-01-31.tar.gz")
    parser.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")


def add_restore_arguments(parser) -> None:
    parser.add_argument("file", help="an archive written by `zhengtong backup`")
    parser.add_argument("--yes", action="store_true",
                        help="do not ask for confirmation (the current database and files are replaced)")
    parser.add_argument("--check-only", action="store_true",
                        help="verify the archive and stop, changing nothing")


# --- backup -----------------------------------------------------------------------------------------------

class _HashingReader:
    """Wraps a file so that what tarfile copies into the archive is hashed on the way."""

    def __init__(self, handle):
        self._handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _vendor() -> str:
    from django.db import connection

    if connection.vendor not in VENDOR_NAMES:
        raise OpsError(_("Backups support SQLite and PostgreSQL only, not %(vendor)s.")
                       % {"vendor": connection.vendor})
    return connection.vendor


def _sqlite_path() -> Path:
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise OpsError(_("An in-memory SQLite database cannot be backed up or restored."))
    return Path(name)


def _pg_env() -> dict[str, str]:
    """libpq's environment for the configured database: the password never appears on a command line."""
    from django.db import connection

    settings_dict = connection.settings_dict
    env = dict(os.environ)
    values = {"PGHOST": settings_dict.get("HOST"), "PGPORT": settings_dict.get("PORT"),
              "PGUSER": settings_dict.get("USER"), "PGPASSWORD": settings_dict.get("PASSWORD"),
              "PGDATABASE": settings_dict.get("NAME")}
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"),
                             ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY"), ("service", "PGSERVICE"),
                             ("passfile", "PGPASSFILE")):
        values[variable] = options.get(option)
    for variable, value in values.items():
        if value not in (None, ""):
            env[variable] = str(value)
    return env


def _run_pg_tool(args: list[str], what: str) -> None:
    tool = shutil.which(args[0])
    if tool is None:
        raise OpsError(_("%(tool)s was not found: install the PostgreSQL client (apt-get install "
                         "postgresql-client).") % {"tool": args[0]})
    result = subprocess.run([tool, *args[1:]], env=_pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise OpsError(_("%(what)s failed: %(detail)s") % {"what": what, "detail": " / ".join(detail)})


def _applied_migrations(sqlite_file: Path | None = None) -> dict[str, list[str]]:
    """The applied migrations per app, read from the snapshot itself when there is one."""
    if sqlite_file is not None:
        with contextlib.closing(sqlite3.connect(sqlite_file)) as snapshot:
            rows = snapshot.execute("SELECT app, name FROM django_migrations").fetchall()
    else:
        from django.db import connection
        from django.db.migrations.recorder import MigrationRecorder

        rows = list(MigrationRecorder(connection).applied_migrations())
    state: dict[str, list[str]] = {}
    for app, name in rows:
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def _snapshot_database(vendor: str, staging: Path) -> Path:
    if vendor == "sqlite":
        target = staging / "zhengtong.sqlite3"
        source = sqlite3.connect(_sqlite_path(), timeout=30)
        copy = sqlite3.connect(target)
        try:
            # One step (pages=-1) under one read transaction: a consistent snapshot even while the
            # web server and the worker write.
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # a self-contained single file
            if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise OpsError(_("The database snapshot failed its integrity check."))
        finally:
            copy.close()
            source.close()
        return target
    target = staging / "zhengtong.pgdump"
    _run_pg_tool(["pg_dump", "--format=custom", "--no-password", f"--file={target}"], "pg_dump")
    return target


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    files = []
    for folder, dirnames, filenames in os.walk(media_root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(folder) / filename
            if path.is_file() and not path.is_symlink():
                files.append(path)
    return files


def _add(tar: tarfile.TarFile, source: Path, name: str, members: dict, *, mode: int = 0o644) -> None:
    stat = source.stat()
    info = tarfile.TarInfo(name)
    info.size = stat.st_size
    info.mtime = int(stat.st_mtime)
    info.mode = mode
    with source.open("rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    members[name] = {"sha256": reader.sha256.hexdigest(), "size": reader.size}


def create_backup(file: str | Path, *, overwrite: bool = False, stdout: TextIO | None = None) -> dict:
    """Write a backup archive of the database, the stored files and the keys to ``file``.

    The archive is written to ``file.partial`` (mode 0600: it holds the keys) and renamed into place
    when complete, so ``file`` is either a whole archive or absent. Returns the manifest.
    """
    from django.conf import settings
    from django.db import connection

    from zhengtong import __version__

    path = Path(file).expanduser().resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if not path.name.endswith((".tar.gz", ".tgz")):
        raise OpsError(_("The backup file name must end in .tar.gz."))
    if path.is_relative_to(media_root):
        raise OpsError(_("The backup file must not be inside the stored files directory %(dir)s.")
                       % {"dir": media_root})
    if not path.parent.is_dir():
        raise OpsError(_("The directory %(dir)s does not exist.") % {"dir": path.parent})
    if path.exists() and not overwrite:
        raise OpsError(_("%(file)s already exists; choose another name or add --overwrite.") % {"file": path})
    vendor = _vendor()

    members: dict[str, dict] = {}
    partial = path.with_name(path.name + ".partial")
    staging = Path(tempfile.mkdtemp(prefix=".zhengtong-backup-", dir=path.parent))
    try:
        snapshot = _snapshot_database(vendor, staging)
        migrations = _applied_migrations(snapshot if vendor == "sqlite" else None)
        media = _media_files(media_root)
        keys = [name for name in KEY_FILES if (Path(settings.DATA_DIR) / name).is_file()]
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6,
                                                      format=tarfile.PAX_FORMAT) as tar:
            member = SQLITE_MEMBER if vendor == "sqlite" else POSTGRES_MEMBER
            _add(tar, snapshot, member, members, mode=0o600)
            for source in media:
                try:
                    _add(tar, source, "media/" + source.relative_to(media_root).as_posix(), members)
                except FileNotFoundError:  # deleted since the listing: it is not in the snapshot either
                    continue
            for name in keys:
                _add(tar, Path(settings.DATA_DIR) / name, f"keys/{name}", members, mode=0o600)
            # Seals kept in key files (not in a token) exist nowhere else: without them a restored
            # platform could not seal. Each file is encrypted with its seal's PIN.
            for source in _seal_key_files():
                _add(tar, source, f"{SEAL_KEYS_MEMBER}/{source.relative_to(_seal_key_dir()).as_posix()}",
                     members, mode=0o600)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "platform_version": __version__,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "database": {"vendor": vendor, "member": member,
                             "name": Path(str(connection.settings_dict["NAME"])).name},
                "migrations": migrations,
                "keys_from_environment": [name for name in KEY_FILES if name not in keys],
                "members": members,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o644
            tar.addfile(info, _BytesReader(data))
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OpsError(_("The backup could not be written: %(error)s") % {"error": exc}) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if stdout is not None:
        size = path.stat().st_size
        stdout.write(_("Backup written to %(file)s (%(size)s, database %(vendor)s, %(count)d stored files).")
                     % {"file": path, "size": _human_size(size), "vendor": VENDOR_NAMES[vendor],
                        "count": len(media)} + "\n")
        if manifest["keys_from_environment"]:
            stdout.write(_("Not in the archive, because they come from the environment: %(keys)s. Keep them "
                           "with the backup.") % {"keys": ", ".join(manifest["keys_from_environment"])} + "\n")
    return manifest


def _seal_key_dir() -> Path:
    from django.conf import settings

    return Path(settings.SEAL_KEY_DIR).resolve()


def _seal_key_files() -> list[Path]:
    folder = _seal_key_dir()
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else []


class _BytesReader:
    def __init__(self, data: bytes):
        self._data, self._pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._pos + size
        chunk = self._data[self._pos:end]
        self._pos += len(chunk)
        return chunk


def _human_size(size: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


# --- verification -------------------------------------------------------------------------------------

def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    if name == MANIFEST:
        return True
    return (len(path.parts) >= 2 and path.parts[0] in {"database", "media", "keys"}
            and not path.is_absolute() and ".." not in path.parts and "\\" not in name)


def inspect_archive(file: str | Path, *, staging: Path | None = None) -> dict:
    """Read and check the whole archive; extract it into ``staging`` if given. Return the manifest.

    Raises OpsError with the reason when the archive is unreadable, damaged or truncated, has no
    manifest, a member whose checksum or size differs, an unknown format version, or comes from a
    database of another kind than the one configured.
    """
    path = Path(file).expanduser()
    if not path.is_file():
        raise OpsError(_("The backup file %(file)s does not exist.") % {"file": path})
    damaged = _("The backup file %(file)s is damaged or incomplete (%(error)s); nothing was changed.")
    seen: dict[str, dict] = {}
    manifest_data: bytes | None = None
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile() or not _safe_member_name(member.name):
                    raise OpsError(_("The backup file contains a member that is not allowed: %(name)s")
                                   % {"name": member.name})
                if member.name in seen or (member.name == MANIFEST and manifest_data is not None):
                    raise OpsError(_("The backup file contains %(name)s twice.") % {"name": member.name})
                source = tar.extractfile(member)
                digest, size, chunks = hashlib.sha256(), 0, []
                target = None
                if staging is not None and member.name != MANIFEST:
                    destination = staging / member.name
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    target = destination.open("wb")
                try:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        if member.name == MANIFEST:
                            if size > _MANIFEST_MAX:
                                raise OpsError(_("The manifest of the backup file is too large."))
                            chunks.append(chunk)
                        elif target is not None:
                            _write(target, chunk)
                finally:
                    if target is not None:
                        target.close()
                if member.name == MANIFEST:
                    manifest_data = b"".join(chunks)
                else:
                    seen[member.name] = {"sha256": digest.hexdigest(), "size": size}
            # Read to the end of the compressed stream so gzip checks its CRC and length: a flipped
            # byte or a cut-off tail shows here even when tarfile stopped at an unreadable header.
            while tar.fileobj.read(_CHUNK):
                pass
    except OpsError:
        raise
    except _StagingError as exc:
        raise OpsError(_("The backup could not be unpacked for checking: %(error)s") % {"error": exc.__cause__}) from exc
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError) as exc:
        raise OpsError(damaged % {"file": path, "error": str(exc) or type(exc).__name__}) from exc

    if manifest_data is None:
        raise OpsError(_("The backup file %(file)s has no manifest.json: it is not a Zhengtong backup, or it "
                         "is incomplete.") % {"file": path})
    try:
        manifest = json.loads(manifest_data)
        assert isinstance(manifest, dict)
    except (ValueError, AssertionError) as exc:
        raise OpsError(_("The manifest.json of the backup file cannot be read.")) from exc
    if manifest.get("format") != FORMAT:
        raise OpsError(_("%(file)s is not a Zhengtong backup.") % {"file": path})
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise OpsError(_("The backup has an unknown format version %(version)s.") % {"version": version})
    if version > FORMAT_VERSION:
        raise OpsError(_("The backup has format version %(version)s, newer than the %(known)s this version of "
                         "Zhengtong reads; upgrade Zhengtong first.") % {"version": version, "known": FORMAT_VERSION})
    listed = manifest.get("members")
    if not isinstance(listed, dict):
        raise OpsError(_("The manifest.json of the backup file cannot be read."))
    for name, expected in sorted(listed.items()):
        actual = seen.get(name)
        if actual is None:
            raise OpsError(_("The member %(name)s listed in the manifest is missing from the backup file.")
                           % {"name": name})
        if not isinstance(expected, dict) or actual != {"sha256": expected.get("sha256"),
                                                        "size": expected.get("size")}:
            raise OpsError(_("Checksum mismatch of member %(name)s: the backup file is damaged or was altered; "
                             "nothing was changed.") % {"name": name})
    for name in sorted(set(seen) - set(listed)):
        raise OpsError(_("The member %(name)s is not listed in the manifest.") % {"name": name})

    database = manifest.get("database") or {}
    vendor = database.get("vendor")
    configured = _vendor()
    if vendor != configured:
        raise OpsError(_("The backup comes from a %(theirs)s database, but this installation uses %(ours)s; "
                         "it cannot be restored here.")
                       % {"theirs": VENDOR_NAMES.get(vendor, str(vendor)), "ours": VENDOR_NAMES[configured]})
    expected_member = SQLITE_MEMBER if vendor == "sqlite" else POSTGRES_MEMBER
    if database.get("member") != expected_member or expected_member not in seen:
        raise OpsError(_("The backup file holds no database."))
    unknown = _unknown_migrations(manifest.get("migrations") or {})
    if unknown:
        raise OpsError(_("The backup comes from a newer version of Zhengtong (it has migrations this version does "
                         "not know, such as %(migration)s); upgrade Zhengtong first.") % {"migration": unknown[0]})
    return manifest


class _StagingError(Exception):
    """Writing the staging copy failed (e.g. the disk is full): not the archive's fault."""


def _write(target, chunk: bytes) -> None:
    try:
        target.write(chunk)
    except OSError as exc:
        raise _StagingError() from exc


def _unknown_migrations(migrations: dict) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = []
    for app, names in sorted(migrations.items()):
        for name in names:
            if (app, name) not in known:
                unknown.append(f"{app}.{name}")
    return unknown


# --- restore ---------------------------------------------------------------------------------------------

def describe(manifest: dict) -> str:
    """A short Chinese description of a backup for the confirmation question."""
    return (_("Backup of %(created)s, Zhengtong %(version)s, database %(vendor)s, %(count)d stored files.")
            % {"created": manifest.get("created_at"), "version": manifest.get("platform_version"),
               "vendor": VENDOR_NAMES.get(manifest["database"]["vendor"]),
               "count": sum(1 for name in manifest["members"] if name.startswith("media/"))})


def restore_backup(file: str | Path, *, confirm: Callable[[dict], bool], check_only: bool = False,
                   stdout: TextIO | None = None) -> dict:
    """Check the archive, ask ``confirm(manifest)``, then replace the database, stored files and keys.

    Nothing is changed unless the whole archive checks out and ``confirm`` says yes. The files are
    swapped in by renaming directories; if loading the database then fails, the old files go back.
    """
    from django.conf import settings

    media_root = Path(settings.MEDIA_ROOT).resolve()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Staged beside MEDIA_ROOT: same file system, so the swap is a rename.
    staging = Path(tempfile.mkdtemp(prefix=".zhengtong-restore-", dir=media_root.parent))
    try:
        manifest = inspect_archive(file, staging=staging)
        if stdout is not None:
            stdout.write(_("The backup file is intact: %(description)s") % {"description": describe(manifest)} + "\n")
        if check_only:
            return manifest
        if not confirm(manifest):
            raise OpsError(_("Restore cancelled; nothing was changed."))
        _restore_staged(manifest, staging, media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _after_restore(manifest, stdout)
    return manifest


def _restore_staged(manifest: dict, staging: Path, media_root: Path) -> None:
    from django.conf import settings

    vendor = manifest["database"]["vendor"]
    staged_db = staging / manifest["database"]["member"]
    if vendor == "sqlite":
        try:
            with contextlib.closing(sqlite3.connect(staged_db)) as check:
                intact = check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            intact = False
        if not intact:
            raise OpsError(_("The database in the backup file failed its integrity check; nothing was changed."))

    staged_media = staging / "media"
    staged_media.mkdir(exist_ok=True)
    old_media = staging / "media-before-restore"
    had_media = media_root.exists()
    if had_media:
        staged_media.chmod(media_root.stat().st_mode & 0o7777)
    else:
        staged_media.chmod(0o755)
    try:
        if had_media:
            media_root.rename(old_media)
        staged_media.rename(media_root)
    except OSError as exc:
        if had_media and not media_root.exists() and old_media.exists():
            old_media.rename(media_root)
        raise OpsError(_("The stored files could not be swapped in (%(error)s); nothing was changed.")
                       % {"error": exc}) from exc
    try:
        _load_database(vendor, staged_db)
    except BaseException:
        # The database is as it was: put the old files back too.
        media_root.rename(staging / "media-from-backup")
        if had_media:
            old_media.rename(media_root)
        raise

    data_dir = Path(settings.DATA_DIR)
    for name in KEY_FILES:
        staged_key = staging / "keys" / name
        if staged_key.is_file():
            partial = data_dir / f".{name}.restore"
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(staged_key.read_bytes())
            partial.replace(data_dir / name)
    staged_seal_keys = staging / SEAL_KEYS_MEMBER
    if staged_seal_keys.is_dir():
        # Added, never deleted: a key made after the backup may belong to a seal still in use.
        key_dir = _seal_key_dir()
        for source in sorted(path for path in staged_seal_keys.rglob("*") if path.is_file()):
            target = key_dir / source.relative_to(staged_seal_keys)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            partial = target.with_name(f".{target.name}.restore")
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(source.read_bytes())
            partial.replace(target)


def _load_database(vendor: str, staged_db: Path) -> None:
    from django.db import connection

    connection.close()  # no half-open transaction of ours may hold a lock during the load
    if vendor == "sqlite":
        source = sqlite3.connect(staged_db)
        target = sqlite3.connect(_sqlite_path(), timeout=60)
        try:
            # The backup API replaces the database page by page inside one write transaction on the
            # target: other connections see either the old or the new database, never a mixture.
            source.backup(target)
        except sqlite3.Error as exc:
            raise OpsError(_("The database could not be restored: %(error)s; it is unchanged.")
                           % {"error": exc}) from exc
        finally:
            target.close()
            source.close()
    else:
        # --single-transaction: pg_restore either replaces everything or nothing.
        _run_pg_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                      "--single-transaction", "--exit-on-error", "--no-password",
                      f"--dbname={connection.settings_dict['NAME']}", str(staged_db)], "pg_restore")


def _after_restore(manifest: dict, stdout: TextIO | None) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        cache.clear()  # cached pages and counters belong to the old data
    except Exception:  # noqa: BLE001 - a cache that cannot be cleared expires by itself
        pass
    if stdout is None:
        return
    stdout.write(_("Restored: %(description)s") % {"description": describe(manifest)} + "\n")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        stdout.write(_("The backup is from an older version: run `zhengtong migrate` now.") + "\n")
    stdout.write(_("Restart the web server and the worker so that they use the restored data and keys.") + "\n")
