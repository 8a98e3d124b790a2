"""Compare the WSGI/ASGI servers `zhengtong serve` could use, on this machine, against 127.0.0.1 only.

    .venv/bin/python benchmarks/serve_bench.py [--seconds 10] [--connections 32] [--servers granian,gunicorn-gthread]

For each server it makes a fresh data directory (migrated, static files collected), starts the
server on a free port of 127.0.0.1, loads two pages — the sign-in page (a full Django request:
middleware, session, CSRF, template) and a static file served by whitenoise — for a fixed time
each, prints requests/second and the p50/p99 latency, and stops the server. `wrk` (Debian's
package) is the load generator when it is installed; otherwise a small Python client with one
keep-alive connection per thread. Every run stops by itself: a time limit per load and a
deadline for the whole benchmark. Servers that are not installed are skipped with a note.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"  # never anything else: this is a load test
SIGN_IN = "/office/accounts/sign-in/"
CPUS = os.cpu_count() or 1


def servers(port: int) -> dict[str, list[str]]:
    py = sys.executable
    app = "zhengtong.wsgi:application"
    return {
        # granian: Rust HTTP stack, Python WSGI app in a pool of blocking threads per worker.
        # "granian" is what `zhengtong serve` runs: one worker per CPU, 4 blocking threads each.
        "granian": [py, "-m", "granian", "--interface", "wsgi", "--host", HOST, "--port", str(port),
                    "--workers", str(CPUS), "--blocking-threads", "4", "--no-access-log", app],
        "granian-2threads": [py, "-m", "granian", "--interface", "wsgi", "--host", HOST, "--port", str(port),
                             "--workers", str(CPUS), "--blocking-threads", "2", "--no-access-log", app],
        "granian-1thread": [py, "-m", "granian", "--interface", "wsgi", "--host", HOST, "--port", str(port),
                            "--workers", str(CPUS), "--blocking-threads", "1", "--no-access-log", app],
        # gunicorn: the classic pre-fork server; sync workers (2×CPU+1) and threaded workers.
        "gunicorn-sync": [py, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", str(2 * CPUS + 1),
                          "--worker-class", "sync", "--log-level", "warning", app],
        "gunicorn-gthread": [py, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", str(CPUS),
                             "--threads", "4", "--worker-class", "gthread", "--log-level", "warning", app],
        # uvicorn runs Django's ASGI handler; sync views go through a thread pool.
        "uvicorn-asgi": [py, "-m", "uvicorn", "--host", HOST, "--port", str(port), "--workers", str(CPUS),
                         "--no-access-log", "--log-level", "warning", "zhengtong.asgi:application"],
    }


MODULE_OF = {"granian": "granian", "gunicorn": "gunicorn", "uvicorn": "uvicorn"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def prepare_data_dir(env: dict[str, str]) -> str:
    """Migrate a fresh database and collect the static files; return a hashed static path."""
    manage = [sys.executable, "-m", "django"]
    for args in (["migrate", "--no-input", "-v0"], ["createcachetable"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run(manage + args, env=env, check=True, timeout=300)
    import json

    manifest = json.loads((Path(env["ZHENGTONG_DATA_DIR"]) / "static" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["vendor/bootstrap/css/bootstrap.min.css"]


def wait_ready(port: int, proc: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", SIGN_IN)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not become ready")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by ``pid`` and every process below it, from /proc.

    On a machine shared with other work, wall-clock throughput is noisy; CPU time per request is
    not, so the benchmark reports both.
    """
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo, seen = 0.0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen or current not in stats:
            continue
        seen.add(current)
        total += stats[current][1]
        todo.extend(child for child, (parent, _) in stats.items() if parent == current)
    return total / ticks


def run_wrk(url: str, seconds: int, connections: int) -> tuple[float, float, float, int, int]:
    out = subprocess.run(["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s",
                          "--timeout", "10s", "--latency", url],
                         capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    count = int(re.search(r"(\d+) requests in", out).group(1))

    def pct(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    bad = int(errors.group(1)) if errors else 0
    if socket_errors:
        bad += sum(int(n) for n in socket_errors.groups())
    return rps, pct("50"), pct("99"), bad, count


def run_python_client(url: str, seconds: int, connections: int,
                      headers: dict[str, str] | None = None) -> tuple[float, float, float, int, int]:
    """Fallback load generator: one keep-alive connection per thread, for a fixed time."""
    path = url.split(f"{HOST}:", 1)[1].split("/", 1)
    port, path = int(path[0]), "/" + path[1]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        mine = []
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
            mine.append((time.perf_counter() - start) * 1000)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    begin = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 15)
    elapsed = time.monotonic() - begin
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return len(latencies) / elapsed, q[49], q[98], errors[0], len(latencies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=8, help="load time per page and server (max 60)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (max 256)")
    parser.add_argument("--servers", default="granian,granian-2threads,granian-1thread,gunicorn-sync,"
                                              "gunicorn-gthread,uvicorn-asgi")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat every measurement, servers interleaved, and report the median (max 5)")
    parser.add_argument("--python-client", action="store_true", help="use the Python client even if wrk exists")
    args = parser.parse_args()
    # Stopped from outside (even as a background job, where SIGINT is ignored): clean up the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    seconds = max(1, min(args.seconds, 60))
    connections = max(1, min(args.connections, 256))
    deadline = time.monotonic() + 30 * 60  # the whole benchmark stops by itself
    use_wrk = shutil.which("wrk") is not None and not args.python_client
    load = run_wrk if use_wrk else run_python_client
    print(f"{CPUS} CPU(s), {connections} connections, {seconds}s per page, load generator: "
          f"{'wrk' if use_wrk else 'python threads'} (it shares the CPUs with the server)")

    data_dir = tempfile.mkdtemp(prefix="zt-bench-")
    env = {**os.environ, "ZHENGTONG_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "zhengtong.settings",
           "ZHENGTONG_LOG_LEVEL": "WARNING"}
    env.pop("ZHENGTONG_DEBUG", None)
    static_path = prepare_data_dir(env)
    rows = []
    names = [s.strip() for s in args.servers.split(",") if s.strip()]
    try:
        for name in names * max(1, min(args.rounds, 5)):
            if time.monotonic() > deadline:
                print("deadline reached, stopping")
                break
            module = MODULE_OF[name.split("-")[0]]
            if importlib.util.find_spec(module) is None:
                print(f"{name}: not installed ({module}), skipped")
                continue
            port = free_port()
            proc = subprocess.Popen(servers(port)[name], env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, start_new_session=True)
            try:
                wait_ready(port, proc, time.monotonic() + 90)
                for label, path in (("sign-in page", SIGN_IN), ("static file", static_path)):
                    url = f"http://{HOST}:{port}{path}"
                    load(url, 1, min(4, connections))  # warm-up
                    cpu_before = tree_cpu_seconds(proc.pid)
                    rps, p50, p99, bad, count = load(url, seconds, connections)
                    cpu_ms = (tree_cpu_seconds(proc.pid) - cpu_before) * 1000 / max(count, 1)
                    rows.append((name, label, rps, p50, p99, bad, cpu_ms))
                    print(f"{name:18} {label:13} {rps:9.1f} req/s  p50 {p50:7.2f} ms  p99 {p99:8.2f} ms"
                          f"  server CPU {cpu_ms:6.2f} ms/req  errors {bad}", flush=True)
            except Exception as exc:  # report and go on with the next server
                print(f"{name}: failed: {exc}")
            finally:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if rows:
        print("\nmedian over the rounds:\n| server | page | req/s | p50 ms | p99 ms | server CPU ms/req | errors |\n"
              "|---|---|---:|---:|---:|---:|---:|")
        for name in names:
            for label in ("sign-in page", "static file"):
                mine = [row for row in rows if row[0] == name and row[1] == label]
                if mine:
                    rps, p50, p99, cpu_ms = (statistics.median(row[i] for row in mine) for i in (2, 3, 4, 6))
                    bad = sum(row[5] for row in mine)
                    print(f"| {name} | {label} | {rps:.0f} | {p50:.1f} | {p99:.1f} | {cpu_ms:.2f} | {bad} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
