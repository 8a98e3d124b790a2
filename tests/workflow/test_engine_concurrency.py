"""Two people press 办理 on the same item at the same moment: one wins, the other is told (PostgreSQL)."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection, connections

from .engine_fixtures import build_world, open_item, start_fawen

ON_POSTGRESQL = os.environ.get("ZHENGTONG_DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite serialises writers at BEGIN IMMEDIATE, so there is no "
                                               "race to test; set ZHENGTONG_DATABASE_URL to a PostgreSQL database")
@pytest.mark.django_db(transaction=True)
def test_concurrent_completion_of_one_item_lets_exactly_one_through(cast):
    assert connection.vendor == "postgresql"
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory
    from zhengtong.workflow import services
    from zhengtong.workflow.exceptions import TaskAlreadyHandled
    from zhengtong.workflow.models import ProcessInstance, WorkItem

    world = build_world(cast)
    second, _ = directory.create_person(actor=None, unit=world.unit, name="第二核稿", role_codes=[roles.CHECKER])
    instance = start_fawen(world)
    for person, step in ((world.drafter, "draft"), (world.general_chief, "section_review")):
        instance = services.complete_work_item(actor=person, work_item=open_item(instance, step),
                                               revision=instance.revision)
    item = open_item(instance, "office_check")
    shown = instance.revision
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def press(person, opinion):
        try:
            barrier.wait(timeout=10)
            services.complete_work_item(actor=person, work_item=item.pk, revision=shown, opinion=opinion)
            results[opinion] = "ok"
        except TaskAlreadyHandled as error:
            results[opinion] = error
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[opinion] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(world.checker, "甲")),
               threading.Thread(target=press, args=(second, "乙"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    outcomes = sorted("ok" if value == "ok" else type(value).__name__ for value in results.values())
    assert outcomes == ["TaskAlreadyHandled", "ok"], results
    winner = next(opinion for opinion, value in results.items() if value == "ok")
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE and item.opinion == winner
    instance = ProcessInstance.objects.get(pk=instance.pk)
    assert instance.revision == shown + 1
    assert list(instance.work_items.filter(status="open").values_list("step", flat=True)) == ["leader_review"]
    assert instance.work_items.filter(step="leader_review").count() == 1
