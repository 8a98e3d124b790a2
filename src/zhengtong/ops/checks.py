"""`zhengtong check`: Django's system checks plus what an installation of Zhengtong needs to run."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.utils.translation import gettext as _

OK, WARNING, FAILED, SKIPPED = "ok", "warning", "failed", "skipped"
SYMBOLS = {OK: "✓", WARNING: "⚠", FAILED: "✗", SKIPPED: "–"}


@dataclass
class CheckResult:
    status: str
    label: str
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status == FAILED


def _django_checks() -> CheckResult:
    from django.core import checks

    messages = [m for m in checks.run_checks() if not m.is_silenced()]
    serious = [m for m in messages if m.is_serious()]
    if serious:
        return CheckResult(FAILED, _("Django system checks"), "; ".join(str(m) for m in serious[:5]))
    if messages:
        return CheckResult(WARNING, _("Django system checks"),
                           _("%(count)d warning(s): %(first)s") % {"count": len(messages), "first": messages[0]})
    return CheckResult(OK, _("Django system checks"))


def _writable(path: Path, label: str) -> CheckResult:
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".zhengtong-check-") as handle:
            handle.write(b"ok")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        return CheckResult(FAILED, label, _("%(path)s is not writable: %(error)s")
                           % {"path": path, "error": exc.strerror or exc})
    return CheckResult(OK, label, str(path))


def _data_dir() -> CheckResult:
    from django.conf import settings

    return _writable(Path(settings.DATA_DIR), _("Data directory writable"))


def _media_dir() -> CheckResult:
    from django.conf import settings

    return _writable(Path(settings.MEDIA_ROOT), _("Stored files directory writable"))


def _database() -> CheckResult:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any driver error means "not reachable"
        return CheckResult(FAILED, _("Database reachable"), str(exc).strip().splitlines()[0] if str(exc) else "")
    return CheckResult(OK, _("Database reachable"), f"{connection.vendor} {connection.settings_dict['NAME']}")


def _migrated() -> CheckResult:
    from zhengtong.ops.serve import pending_migrations

    try:
        pending = pending_migrations()
    except Exception as exc:  # noqa: BLE001
        return CheckResult(FAILED, _("Database migrated"), str(exc))
    if pending:
        return CheckResult(FAILED, _("Database migrated"),
                           _("%(count)d migration(s) not applied: run `zhengtong migrate`") % {"count": len(pending)})
    return CheckResult(OK, _("Database migrated"))


def _assets() -> CheckResult:
    from django.conf import settings

    missing = []
    for entry in settings.STATICFILES_DIRS:
        path = Path(entry[1] if isinstance(entry, (tuple, list)) else entry)
        if not path.is_dir() or not any(path.iterdir()):
            missing.append(str(path))
    if missing:
        return CheckResult(FAILED, _("Front-end assets present"),
                           _("missing %(paths)s: run `make install` (npm ci)") % {"paths": ", ".join(missing)})
    return CheckResult(OK, _("Front-end assets present"), str(settings.NODE_MODULES))


def _catalogues() -> CheckResult:
    from zhengtong.ops.catalogues import catalogues, stale_catalogues

    stale = stale_catalogues()
    if stale:
        names = ", ".join(str(p.relative_to(p.parents[3])) for p in stale[:3])
        return CheckResult(FAILED, _("Message catalogues compiled"),
                           _("%(count)d not compiled (%(names)s): run `zhengtong migrate`")
                           % {"count": len(stale), "names": names})
    return CheckResult(OK, _("Message catalogues compiled"),
                       _("%(count)d catalogue(s)") % {"count": len(catalogues())})


def _calendar(today: dt.date | None = None) -> list[CheckResult]:
    from django.utils import timezone

    label = _("Working-day calendar of %(year)d")
    try:
        from zhengtong.workdays.selectors import year_is_covered
    except ImportError:
        return [CheckResult(SKIPPED, _("Working-day calendar"), _("the workdays app cannot tell yet"))]
    today = today or timezone.localdate()
    results = []
    for year in (today.year, today.year + 1):
        try:
            covered = year_is_covered(year)
        except Exception as exc:  # noqa: BLE001
            results.append(CheckResult(FAILED, label % {"year": year}, str(exc)))
            continue
        if covered:
            results.append(CheckResult(OK, label % {"year": year}, _("holidays and swapped working days entered")))
        elif year == today.year or today.month == 12:
            results.append(CheckResult(FAILED, label % {"year": year},
                                       _("enter the holidays of %(year)d from the State Council's notice")
                                       % {"year": year}))
        else:  # the State Council publishes next year's holidays late in the year
            results.append(CheckResult(WARNING, label % {"year": year},
                                       _("enter the holidays of %(year)d once the State Council publishes them")
                                       % {"year": year}))
    return results


def _huey() -> CheckResult:
    try:
        from huey.contrib.djhuey import HUEY

        pending = HUEY.pending_count()
    except Exception as exc:  # noqa: BLE001 - any storage error means "not reachable"
        return CheckResult(FAILED, _("Task queue storage reachable"), str(exc))
    return CheckResult(OK, _("Task queue storage reachable"),
                       _("%(storage)s, %(count)d task(s) waiting") % {"storage": type(HUEY).__name__,
                                                                      "count": pending})


CHECKS: list[Callable[[], CheckResult | list[CheckResult]]] = [
    _django_checks, _data_dir, _media_dir, _database, _migrated, _assets, _catalogues, _calendar, _huey,
]


def run_checks() -> list[CheckResult]:
    results: list[CheckResult] = []
    for check in CHECKS:
        try:
            outcome = check()
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            outcome = CheckResult(FAILED, check.__name__.strip("_"), f"{type(exc).__name__}: {exc}")
        results.extend(outcome if isinstance(outcome, list) else [outcome])
    return results


def report(results: list[CheckResult], stdout: TextIO) -> int:
    """Print one ✓/⚠/✗ line per check and a summary; return the exit status (1 if anything failed)."""
    for result in results:
        line = f"{SYMBOLS[result.status]} {result.label}"
        if result.detail:
            line += f"：{result.detail}" if result.status in (FAILED, WARNING) else f"（{result.detail}）"
        stdout.write(line + "\n")
    failures = sum(1 for r in results if r.failed)
    if failures:
        stdout.write(_("%(count)d check(s) failed.") % {"count": failures} + "\n")
        return 1
    stdout.write(_("All checks passed.") + "\n")
    return 0
