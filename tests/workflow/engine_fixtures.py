"""People, departments and helpers for the process-engine tests, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

PASSWORD = "Zt-Test-Pass-2026"


@dataclass
class World:
    cast: object
    general: object  # 综合科: the drafting department
    planning: object  # 规划科
    finance: object  # 财务科
    drafter: object
    general_chief: object
    planning_chief: object
    finance_chief: object
    checker: object
    deputy: object
    seal_keeper: object
    planning_handler: object
    finance_handler: object
    other_checker: object  # 财政局
    other_leader: object  # 财政局

    def __getattr__(self, name):  # unit, clerk, leader, admin, outsider… come from the cast
        return getattr(self.__dict__["cast"], name)


def build_world(cast) -> World:
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory

    def department(name, unit=None):
        return directory.create_department(actor=None, unit=unit or cast.unit, name=name)

    def person(name, role_codes, dept=None, unit=None):
        user, _ = directory.create_person(actor=None, unit=unit or cast.unit, name=name, department=dept,
                                          role_codes=role_codes)
        return user

    general, planning, finance = department("综合科"), department("规划科"), department("财务科")
    other_office = department("办公室", cast.other_unit)
    return World(
        cast=cast, general=general, planning=planning, finance=finance,
        drafter=person("张拟稿", [roles.DRAFTER], general),
        general_chief=person("李综合", [roles.SECTION_CHIEF], general),
        planning_chief=person("王规划", [roles.SECTION_CHIEF], planning),
        finance_chief=person("赵财务", [roles.SECTION_CHIEF], finance),
        checker=person("陈核稿", [roles.CHECKER], cast.office),
        deputy=person("孙副局长", [roles.DEPUTY_LEADER]),
        seal_keeper=person("何印章", [roles.SEAL_KEEPER], cast.office),
        planning_handler=person("吴承办", [roles.HANDLER], planning),
        finance_handler=person("郑承办", [roles.HANDLER], finance),
        other_checker=person("冯核稿", [roles.CHECKER], other_office, cast.other_unit),
        other_leader=person("财政局长", [roles.PRINCIPAL_LEADER], None, cast.other_unit),
    )


@pytest.fixture
def world(cast) -> World:
    return build_world(cast)


@pytest.fixture
def subject_hooks():
    """Register describe (and recording) hooks for departments used as process subjects."""
    from zhengtong.workflow import hooks

    calls = {"completed": [], "step": [], "overdue": []}
    handlers = {}

    def on_completed(instance):
        calls["completed"].append((instance.pk, instance.status))
        if "completed" in handlers:
            handlers["completed"](instance)

    def on_step(item):
        calls["step"].append(item.step)
        if "step" in handlers:
            handlers["step"](item)

    def on_overdue(item):
        calls["overdue"].append(item.pk)

    hooks.register_subject("directory.Department", describe=lambda dept: (f"科室 {dept.name}", f"/dept/{dept.pk}/"),
                           on_completed=on_completed, on_step=on_step, on_overdue=on_overdue)
    calls["handlers"] = handlers
    yield calls
    hooks.unregister_subject("directory.Department")


def open_item(instance, step, **filters):
    from zhengtong.workflow.models import WorkItem

    items = list(WorkItem.objects.filter(instance=instance, step=step, status=WorkItem.Status.OPEN, **filters))
    assert len(items) == 1, f"expected one open {step}, found {[(i.step, i.status) for i in items]}"
    return items[0]


def open_steps(instance):
    from zhengtong.workflow.models import WorkItem

    return sorted(WorkItem.objects.filter(instance=instance, status=WorkItem.Status.OPEN)
                  .values_list("step", flat=True))


def act(user, instance, step, *, opinion="同意", **kwargs):
    """Complete the open item of ``step`` as ``user`` with the revision the page would show."""
    from zhengtong.workflow import services

    instance.refresh_from_db()
    item = open_item(instance, step, **kwargs.pop("item_filters", {}))
    return services.complete_work_item(actor=user, work_item=item, revision=instance.revision, opinion=opinion,
                                       **kwargs)


def candidates(instance, step):
    return {user.name for user in open_item(instance, step).candidates.all()}


def start_fawen(world, **data):
    from zhengtong.workflow import services

    return services.start_process(actor=world.drafter, unit=world.unit, key="fawen", subject=world.general,
                                  title="关于做好冬春农田水利建设的通知",
                                  data={"department": world.general.pk, **data})


def start_shouwen(world, **data):
    from zhengtong.workflow import services

    return services.start_process(actor=world.clerk, unit=world.unit, key="shouwen", subject=world.general,
                                  title="市农业农村局关于开展秋冬种工作的通知", data=data)
