"""How fast the audit trail appends and verifies, on this machine.

    .venv/bin/python benchmarks/audit_bench.py [-n 5000] [--batch-size 5000] [--database-url URL]

Appends N records through ``zhengtong.audit.services.record`` (one transaction each, as services
do), then verifies the whole chain with ``verify_chain``, and prints records/second for both.

By default it uses a fresh SQLite database in a temporary data directory (WAL, IMMEDIATE
transactions, as in production). With ``--database-url postgresql://…`` it creates a throwaway
database next to the one named (``<name>_auditbench_<pid>``), migrates it, and drops it at the end:
it never writes into the database the URL names. The data directory (and its audit key) is always
temporary and removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench_db import throwaway_postgres  # benchmarks/ is on sys.path when a benchmark runs

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--records", type=int, default=5000, help="records to append (default %(default)s)")
    parser.add_argument("--batch-size", type=int, default=5000,
                        help="records read per query when verifying (default %(default)s)")
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL server to run on (a throwaway database is created beside it)")
    args = parser.parse_args()
    if args.records < 1 or args.batch_size < 1:
        parser.error("--records and --batch-size must be positive")

    data_dir = Path(tempfile.mkdtemp(prefix="zt-audit-bench-"))
    os.environ["ZHENGTONG_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhengtong.settings"
    os.environ.pop("ZHENGTONG_AUDIT_KEY", None)  # a key made for this run, in the temporary directory
    drop = None
    if args.database_url:
        os.environ["ZHENGTONG_DATABASE_URL"], drop = throwaway_postgres(args.database_url, "auditbench")
    else:
        os.environ.pop("ZHENGTONG_DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    try:
        return _run(args)
    finally:
        if drop is not None:
            drop()
        shutil.rmtree(data_dir, ignore_errors=True)


def _run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from zhengtong.audit import services
    from zhengtong.audit.verify import verify_chain

    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"records:  {args.records}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine:  {os.cpu_count()} CPUs, load average {load} (figures scale with what else runs)")

    started = time.perf_counter()
    for i in range(args.records):
        services.record(action="bench.thing.touch", actor_name="基准测试", ip_address="10.0.0.1",
                        summary=f"第 {i} 条基准记录", changes={"value": [i, i + 1], "note": "基准"})
    append_seconds = time.perf_counter() - started
    print(f"append:   {args.records / append_seconds:10.0f} records/s  ({append_seconds:.2f} s, one transaction each)")

    outcome = verify_chain(batch_size=args.batch_size)
    if not outcome.ok:
        print(f"verify:   FAILED at record {outcome.problem.seq}: {outcome.problem.reason.value}")
        return 1
    print(f"verify:   {outcome.checked / outcome.seconds:10.0f} records/s  ({outcome.seconds:.2f} s, "
          f"batches of {args.batch_size})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:10.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
