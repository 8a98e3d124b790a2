"""How long the process engine takes per step (engine + database), on a fresh database.

    .venv/bin/python benchmarks/workflow_bench.py [--instances N]
    ZHENGTONG_DATABASE_URL=postgres://… .venv/bin/python benchmarks/workflow_bench.py

Without ``ZHENGTONG_DATABASE_URL`` it migrates an empty SQLite database in a temporary data directory;
with it, it migrates and uses that database (give it an empty one). It creates the people of one
unit, starts N 发文 instances (every other one with a countersign by two departments) and takes each
through all of its steps, then prints the median and p95 milliseconds of ``start_process`` and
``complete_work_item``, and the size of the stored engine state.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ["ZHENGTONG_DATA_DIR"] = tempfile.mkdtemp(prefix="zt-workflow-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtong.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection

from zhengtong.directory import roles
from zhengtong.directory import services as directory
from zhengtong.directory.models import UnitCategory
from zhengtong.workflow import services
from zhengtong.workflow.models import ProcessInstance, WorkItem

FLOW = [("draft", "drafter"), ("section_review", "general_chief"), ("countersign", None),
        ("office_check", "checker"), ("leader_review", "deputy"), ("sign_off", "leader"), ("recheck", "checker"),
        ("numbering", "clerk"), ("compose", "clerk"), ("seal", "seal_keeper"), ("distribute", "clerk"),
        ("archive", "clerk")]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def people():
    category = UnitCategory.objects.order_by("sort_order").first()
    suffix = str(int(time.time() * 1000))[-6:]
    unit = directory.register_unit(actor=None, name=f"基准测试局{suffix}", short_name="基准局", code=f"B{suffix}",
                                   category=category, document_prefix="基准")

    def person(name, codes, department=None):
        return directory.create_person(actor=None, unit=unit, name=name, role_codes=codes, department=department,
                                       username=f"bench{suffix}{abs(hash(name)) % 100000}")[0]

    general = directory.create_department(actor=None, unit=unit, name="综合科")
    planning = directory.create_department(actor=None, unit=unit, name="规划科")
    finance = directory.create_department(actor=None, unit=unit, name="财务科")
    cast = {
        "unit": unit, "general": general, "planning": planning, "finance": finance,
        "drafter": person("拟稿人", [roles.DRAFTER], general),
        "general_chief": person("综合科长", [roles.SECTION_CHIEF], general),
        "planning_chief": person("规划科长", [roles.SECTION_CHIEF], planning),
        "finance_chief": person("财务科长", [roles.SECTION_CHIEF], finance),
        "checker": person("核稿人", [roles.CHECKER]),
        "deputy": person("分管领导", [roles.DEPUTY_LEADER]),
        "leader": person("主要领导", [roles.PRINCIPAL_LEADER]),
        "clerk": person("收发员", [roles.CLERK]),
        "seal_keeper": person("印章管理员", [roles.SEAL_KEEPER]),
    }
    return cast


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=40)
    count = parser.parse_args().instances
    logging.disable(logging.INFO)
    call_command("migrate", verbosity=0)
    cast = people()
    by_department = {cast["planning"].pk: cast["planning_chief"], cast["finance"].pk: cast["finance_chief"]}
    starts: list[float] = []
    completes: list[float] = []
    sizes: list[int] = []
    instances = []
    for number in range(count):
        data = {"department": cast["general"].pk}
        began = time.perf_counter()
        instance = services.start_process(actor=cast["drafter"], unit=cast["unit"], key="fawen",
                                          subject=cast["general"], title=f"基准测试发文 第{number + 1}号", data=data)
        starts.append((time.perf_counter() - began) * 1000)
        instances.append((instance, number % 2 == 0))
    for instance, countersign in instances:
        for step, who in FLOW:
            if step == "countersign" and not countersign:
                continue
            for item in list(WorkItem.objects.filter(instance=instance, step=step, status="open")):
                actor = cast[who] if who else by_department[item.department_id]
                extra = {}
                if step == "section_review" and countersign:
                    extra["data"] = {"countersign_departments": [cast["planning"].pk, cast["finance"].pk]}
                instance.refresh_from_db(fields=["revision"])
                began = time.perf_counter()
                instance = services.complete_work_item(actor=actor, work_item=item, revision=instance.revision,
                                                       opinion="同意", **extra)
                completes.append((time.perf_counter() - began) * 1000)
                sizes.append(len(json.dumps(instance.state)))
        assert instance.status == ProcessInstance.Status.COMPLETED, instance.status
    vendor = connection.vendor
    print(f"database: {vendor} ({connection.settings_dict['NAME']}), {count} 发文 instances, "
          f"{len(completes)} steps completed")
    print(f"{'start_process':<22} median {statistics.median(starts):7.1f} ms   p95 {percentile(starts, .95):7.1f} ms")
    print(f"{'complete_work_item':<22} median {statistics.median(completes):7.1f} ms   "
          f"p95 {percentile(completes, .95):7.1f} ms")
    print(f"{'engine state (JSON)':<22} median {statistics.median(sizes) / 1024:7.1f} KiB  "
          f"max {max(sizes) / 1024:7.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
