"""`zhengtong serve` in a real subprocess: it refuses an unmigrated database, serves pages and static
files, and SIGTERM stops the web server and the worker without leaving orphans.

Each test uses a fresh data directory with its own SQLite database (never the database a
ZHENGTONG_DATABASE_URL of the test run names) and listens on a free port of 127.0.0.1.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _env(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ZHENGTONG_")}
    if "ZHENGTONG_NODE_MODULES" in os.environ:
        env["ZHENGTONG_NODE_MODULES"] = os.environ["ZHENGTONG_NODE_MODULES"]
    env.update({"ZHENGTONG_DATA_DIR": str(data_dir), "ZHENGTONG_LOG_LEVEL": "WARNING",
                "ZHENGTONG_WEB_WORKERS": "1", "PYTHONUNBUFFERED": "1"})
    return env


def _zhengtong(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhengtong", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid``, from /proc (no psutil needed)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> dict[str, str]:
    """The environment of a data directory after `zhengtong migrate` (shared by the tests below)."""
    env = _env(tmp_path_factory.mktemp("serve") / "data")
    result = _zhengtong("migrate", env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "数据库已是最新" in result.stdout
    return env


def test_serve_refuses_a_database_with_unapplied_migrations(tmp_path):
    result = _zhengtong("serve", "--port", str(_free_port()), env=_env(tmp_path / "fresh"), timeout=60)
    assert result.returncode == 1
    assert "尚未执行" in result.stderr
    assert "zhengtong migrate" in result.stderr


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to find the children")
def test_serve_serves_pages_and_static_files_and_stops_cleanly_on_sigterm(migrated):
    env = migrated
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "zhengtong", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/office/accounts/sign-in/", timeout=5) as response:
                    page = response.read().decode()
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.3)
        assert page is not None, "the server did not answer"
        assert "登录" in page

        asset = re.search(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page).group(1)
        with urllib.request.urlopen(base + asset, timeout=10) as response:
            assert response.status == 200
            assert len(response.read()) > 100
        # the manifest storage serves hashed names, so they may be cached for a long time
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset)

        children = _descendants(server.pid)
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    for pid in children if _alive(pid)]
        assert any("granian" in command for command in commands), commands
        assert any("zhengtong worker" in command for command in commands), commands

        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=40)
        assert server.returncode == 0, output
        assert f"http://127.0.0.1:{port}/" in output
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.2)
        assert not [pid for pid in children if _alive(pid)], "orphaned children after SIGTERM"
    finally:
        if server.poll() is None:
            for pid in _descendants(server.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            server.kill()
            server.wait()


def test_serve_exits_non_zero_when_a_child_dies(migrated):
    """If the web server cannot start (the port is taken), serve stops the worker and fails."""
    env = migrated
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        result = _zhengtong("serve", "--port", str(port), env=env, timeout=180)
    assert result.returncode != 0
    assert "已退出" in result.stdout
