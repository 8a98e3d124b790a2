"""How long the working-day functions take per call, on a fresh SQLite database.

    .venv/bin/python benchmarks/workdays_bench.py [--calls N]

Each public function reads the calendar version (one small query) and reuses the calendar held in
memory; the figures show that query's cost, the cost of the arithmetic alone (a calendar taken
once with ``working_calendar()``), and the cost of rebuilding after a change.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ["ZHENGTONG_DATA_DIR"] = tempfile.mkdtemp(prefix="zt-workdays-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtong.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from zhengtong.workdays import selectors  # noqa: E402
from zhengtong.workdays.models import WorkdaySettings, new_version  # noqa: E402

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def per_call(label: str, function, calls: int) -> None:
    function()  # warm up
    started = time.perf_counter()
    for _ in range(calls):
        function()
    elapsed = time.perf_counter() - started
    print(f"{label:<62} {elapsed / calls * 1e6:9.1f} µs/call")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5000)
    calls = parser.parse_args().calls
    call_command("migrate", verbosity=0)
    start = datetime.date(2025, 9, 26)
    moment = datetime.datetime(2025, 9, 30, 15, 30, tzinfo=SHANGHAI)
    calendar = selectors.working_calendar()
    print(f"database: {os.environ['ZHENGTONG_DATA_DIR']} (SQLite), {calls} calls each")
    per_call("add_working_days(2025-09-26, 10)  [public: reads version]",
             lambda: selectors.add_working_days(start, 10), calls)
    per_call("exchange_day(2025-09-30 15:30)    [public: reads version]",
             lambda: selectors.exchange_day(moment), calls)
    per_call("is_working_day(2025-10-01)        [public: reads version]",
             lambda: selectors.is_working_day(datetime.date(2025, 10, 1)), calls)
    per_call("calendar.add_working_days(…, 10)  [snapshot, no query]",
             lambda: calendar.add_working_days(start, 10), calls)
    per_call("calendar.exchange_day(…)          [snapshot, no query]",
             lambda: calendar.exchange_day(moment), calls)
    per_call("calendar.add_working_days(…, 250) [snapshot, a year ahead]",
             lambda: calendar.add_working_days(start, 250), max(calls // 10, 1))

    def after_a_change():
        WorkdaySettings.objects.update(version=new_version())
        selectors.add_working_days(start, 10)

    per_call("add_working_days after the calendar changed  [rebuild]", after_a_change, max(calls // 10, 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
