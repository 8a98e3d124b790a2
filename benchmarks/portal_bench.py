"""Public website throughput: a cached article page against a static file, on the real server.

    .venv/bin/python benchmarks/portal_bench.py [--seconds 8] [--connections 16] [--keep DIR]

Makes a fresh data directory (migrated, static files collected, the demo district and the
website's ~200 demo articles), starts granian exactly as `zhengtong serve` does (ops.serve.web_command)
on a free port of 127.0.0.1, and loads for a fixed time each:

- a static file served by whitenoise (the ceiling of the stack),
- an article page for anonymous visitors (served from the public page cache after the first request),
- the same article page with a session cookie (bypasses the cache: full Wagtail routing and render).

Prints requests/second, p50/p99 latency and server CPU per request. The load generator is the
keep-alive Python client of serve_bench.py (or wrk when installed); it shares the CPUs with the server.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_bench as sb  # noqa: E402

HOST = sb.HOST
LOAD_DEMO = """
from zhengtong.demo.services import load_demo_district
from zhengtong.portal.demo import load_demo
load_demo_district()
load_demo(result=None, stdout=print)
from zhengtong.portal.models import ArticlePage
print("ARTICLE", ArticlePage.objects.live().exclude(cover_image=None).order_by("id").first().url)
"""


def prepare_data_dir(env: dict[str, str]) -> str:
    """As serve_bench.prepare_data_dir, with room for a busy machine (collectstatic compresses Wagtail's files)."""
    import json

    manage = [sys.executable, "-m", "django"]
    manifest = Path(env["ZHENGTONG_DATA_DIR"]) / "static" / "staticfiles.json"
    steps = [["migrate", "--no-input", "-v0"], ["createcachetable"]]
    if not manifest.exists():
        steps.append(["collectstatic", "--no-input", "-v0"])
    for args in steps:
        subprocess.run(manage + args, env=env, check=True, timeout=1800)
    return "/static/" + json.loads(manifest.read_text())["paths"]["vendor/bootstrap/css/bootstrap.min.css"]


def load(path: str, port: int, seconds: int, connections: int, headers: dict[str, str]):
    """Keep-alive clients, one per thread, for a fixed time; returns (rps, p50, p99, errors, count)."""
    return sb.run_python_client(f"http://{HOST}:{port}{path}", seconds, connections, headers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=8, help="load time per page (max 60)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (max 256)")
    parser.add_argument("--workers", type=int, default=sb.CPUS, help="granian workers (default: CPUs)")
    parser.add_argument("--keep", default="", help="reuse (or keep) this data directory with the demo loaded")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    seconds = max(1, min(args.seconds, 60))
    connections = max(1, min(args.connections, 256))

    from zhengtong.ops.serve import web_command

    data_dir = args.keep or tempfile.mkdtemp(prefix="zt-portal-bench-")
    env = {**os.environ, "ZHENGTONG_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "zhengtong.settings",
           "ZHENGTONG_LOG_LEVEL": "WARNING"}
    env.pop("ZHENGTONG_DEBUG", None)
    marker = Path(data_dir) / "portal-bench-article.txt"
    static_path = prepare_data_dir(env)
    if not marker.exists():
        started = time.monotonic()
        out = subprocess.run([sys.executable, "-m", "django", "shell", "-c", LOAD_DEMO], env=env, check=True,
                             capture_output=True, text=True, timeout=1200).stdout
        marker.write_text(out.split("ARTICLE", 1)[1].strip())
        print(f"demo loaded in {time.monotonic() - started:.0f}s")
    article = marker.read_text().strip()

    port = sb.free_port()
    proc = subprocess.Popen(web_command(host=HOST, port=port, workers=args.workers, threads=4), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    print(f"{sb.CPUS} CPU(s), granian {args.workers} worker(s) × 4 threads, {connections} connections, "
          f"{seconds}s per page; article {article}")
    rows = []
    try:
        sb.wait_ready(port, proc, time.monotonic() + 90)
        anonymous: dict[str, str] = {}
        bypass = {"Cookie": "sessionid=benchmark-no-session"}
        for label, path, headers in (("static file", static_path, anonymous),
                                     ("article, cached (anonymous)", article, anonymous),
                                     ("article, not cached", article, bypass),
                                     ("home page, cached", "/", anonymous)):
            load(path, port, 1, min(4, connections), headers)  # warm-up (fills the page cache)
            cpu_before = sb.tree_cpu_seconds(proc.pid)
            rps, p50, p99, bad, count = load(path, port, seconds, connections, headers)
            cpu_ms = (sb.tree_cpu_seconds(proc.pid) - cpu_before) * 1000 / max(count, 1)
            rows.append((label, rps, p50, p99, cpu_ms, bad))
            print(f"{label:28} {rps:8.1f} req/s  p50 {p50:7.2f} ms  p99 {p99:8.2f} ms  "
                  f"server CPU {cpu_ms:6.2f} ms/req  errors {bad}", flush=True)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print("\n| page | req/s | p50 ms | p99 ms | server CPU ms/req | errors |\n|---|---:|---:|---:|---:|---:|")
    for label, rps, p50, p99, cpu_ms, bad in rows:
        print(f"| {label} | {rps:.0f} | {p50:.1f} | {p99:.1f} | {cpu_ms:.2f} | {bad} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
