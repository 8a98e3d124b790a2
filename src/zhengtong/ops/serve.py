"""`zhengtong serve`: the web server and the background worker as two supervised child processes.

The web server is granian (WSGI interface), chosen by measurement against gunicorn and uvicorn
(benchmarks/serve_bench.py; the figures are in docs/operations.md). The parent process checks the
database, collects the static files when they changed, starts both children, forwards SIGINT and
SIGTERM to them (and SIGHUP, a graceful reload), and stops the other child and exits non-zero as soon
as one of them dies.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO

from django.utils.translation import gettext as _

from zhengtong import env
from zhengtong.ops.console import OpsError

STATIC_STAMP = ".zhengtong-static-stamp"
STOP_TIMEOUT = 20  # seconds a child gets to finish its requests or tasks before it is killed


def add_serve_arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; behind a reverse proxy keep it)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--workers", type=int, default=None,
                        help="web server processes (default: ZHENGTONG_WEB_WORKERS, else one per CPU)")
    parser.add_argument("--threads", type=int, default=None,
                        help="request threads per web server process (default: ZHENGTONG_WEB_THREADS, else 4)")
    parser.add_argument("--no-worker", action="store_true",
                        help="do not start the background worker (run `zhengtong worker` elsewhere)")


def pending_migrations() -> list[tuple[str, str]]:
    """The migrations that exist on disk but are not applied to the database."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [(migration.app_label, migration.name) for migration, _backwards in plan]


def _static_fingerprint() -> str:
    """A fingerprint of every static source file (path, size, mtime) the finders see."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            full = storage.path(path)
            stat = os.stat(full)
            prefix = getattr(storage, "prefix", "") or ""
            entries.append(f"{prefix}/{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()


def collect_static_if_needed(stdout: TextIO | None = None) -> bool:
    """Run collectstatic when the sources changed since the last run; return whether it ran."""
    from django.conf import settings
    from django.core.management import call_command

    static_root = Path(settings.STATIC_ROOT)
    stamp = static_root / STATIC_STAMP
    fingerprint = _static_fingerprint()
    manifest = static_root / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return False
    if stdout is not None:
        stdout.write(_("Collecting static files into %(dir)s …") % {"dir": static_root} + "\n")
        stdout.flush()
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
    except (OSError, ValueError) as exc:  # a missing front-end package, a CSS file naming a missing file
        raise OpsError(_("The static files could not be collected (%(error)s); run `make install` and try "
                         "again.") % {"error": exc}) from exc
    stamp.write_text(fingerprint)
    return True


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if `zhengtong serve` itself is killed (Linux)."""
    os.setsid()  # our own process group: a terminal's Ctrl-C reaches the parent, which forwards it once
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass


def web_command(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads),
            # a worker that crashes is started again; stuck ones are killed when stopping
            "--respawn-failed-workers", "--workers-kill-timeout", str(STOP_TIMEOUT - 5),
            "--no-access-log", "--log-level", "warning", "zhengtong.wsgi:application"]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "zhengtong", "worker"]


def serve(*, host: str, port: int, workers: int | None, threads: int | None, with_worker: bool,
          stdout: TextIO) -> int:
    """Check, collect static files, start the children and supervise them; return the exit status."""
    pending = pending_migrations()
    if pending:
        raise OpsError(_("The database has %(count)d migration(s) not applied yet (the first: %(first)s). Run "
                         "`zhengtong migrate` first, then start the server again.")
                       % {"count": len(pending), "first": ".".join(pending[0])})
    if not 0 < port < 65536:
        raise OpsError(_("The port must be between 1 and 65535."))
    workers = workers or env.integer("ZHENGTONG_WEB_WORKERS", os.cpu_count() or 1, minimum=1, maximum=64)
    threads = threads or env.integer("ZHENGTONG_WEB_THREADS", 4, minimum=1, maximum=64)
    if workers < 1 or threads < 1:
        raise OpsError(_("--workers and --threads must be at least 1."))
    collect_static_if_needed(stdout)

    from django.db import connections

    connections.close_all()  # the children open their own
    children: dict[str, subprocess.Popen] = {}
    stopping: list[int] = []

    def on_signal(signum, _frame):
        stopping.append(signum)

    def on_hangup(_signum, _frame):
        # Graceful reload (e.g. after an upgrade): granian respawns its workers one by one, huey's
        # consumer finishes its tasks and starts again.
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGHUP)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    previous[signal.SIGHUP] = signal.signal(signal.SIGHUP, on_hangup)
    try:
        children["web"] = subprocess.Popen(web_command(host=host, port=port, workers=workers, threads=threads),
                                           preexec_fn=_die_with_parent)
        if with_worker:
            children["worker"] = subprocess.Popen(worker_command(), preexec_fn=_die_with_parent)
        shown_host = f"[{host}]" if ":" in host else host
        stdout.write(_("Zhengtong is serving at http://%(host)s:%(port)s/ (%(workers)d web process(es) × %(threads)d "
                       "thread(s)%(worker)s). Press Ctrl+C to stop.")
                     % {"host": shown_host, "port": port, "workers": workers, "threads": threads,
                        "worker": _(", with the background worker") if with_worker else ""} + "\n")
        stdout.flush()
        status = 0
        while not stopping:
            dead = [(name, child) for name, child in children.items() if child.poll() is not None]
            if dead:
                name, child = dead[0]
                stdout.write(_("The %(child)s process exited with status %(status)s; stopping Zhengtong.")
                             % {"child": _("web server") if name == "web" else _("background worker"),
                                "status": child.returncode} + "\n")
                stdout.flush()
                status = child.returncode if child.returncode and child.returncode > 0 else 1
                break
            time.sleep(0.2)
        if stopping:
            stdout.write(_("Stopping …") + "\n")
            stdout.flush()
        _stop(children)
        return status
    finally:
        _stop(children)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop(children: dict[str, subprocess.Popen]) -> None:
    """Ask every child still running to stop, wait for it, and kill it if it will not.

    granian stops gracefully on SIGTERM; huey's consumer on SIGINT (on SIGTERM it would abandon the
    tasks it is running).
    """
    for name, child in children.items():
        if child.poll() is None:
            try:
                child.send_signal(signal.SIGINT if name == "worker" else signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children.values():
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(child.pid, signal.SIGKILL)  # the child and whatever it started
            except ProcessLookupError:
                pass
            child.wait()
