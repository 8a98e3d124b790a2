"""The people of the 发文 and 收文 flows, added to the standard cast through the directory services."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

PASSWORD = "Zt-Test-Pass-2026"

BODY = [
    {"level": 0, "text": "为做好今冬明春农田水利建设工作，现将有关事项通知如下。"},
    {"level": 1, "text": "提高思想认识"},
    {"level": 0, "text": "各科室要充分认识农田水利建设的重要意义，切实加强组织领导。"},
    {"level": 1, "text": "明确工作任务"},
    {"level": 0, "text": "请于12月15日前将工作方案报局办公室。"},
]


@dataclass
class Flow:
    cast: object
    industry: object  # 产业发展科: the drafting department
    reform: object  # 农村改革科
    planting: object  # 种植业管理科
    drafter: object
    industry_chief: object
    reform_chief: object
    planting_chief: object
    checker: object
    deputy: object
    seal_keeper: object
    handler: object  # 农村改革科
    planting_handler: object  # 种植业管理科
    other_checker: object  # 财政局
    other_leader: object  # 财政局

    @property
    def unit(self):
        return self.cast.unit

    @property
    def clerk(self):
        return self.cast.clerk

    @property
    def leader(self):
        return self.cast.leader


def build_flow(cast) -> Flow:
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory

    def department(name, unit=None):
        return directory.create_department(actor=None, unit=unit or cast.unit, name=name)

    def person(name, role_codes, dept=None, unit=None, title=""):
        user, _ = directory.create_person(actor=None, unit=unit or cast.unit, name=name, department=dept,
                                          title=title, role_codes=role_codes)
        user.set_password(PASSWORD)
        user.must_change_password = False
        user.save()
        return user

    industry, reform, planting = department("产业发展科"), department("农村改革科"), department("种植业管理科")
    other_office = department("办公室", cast.other_unit)
    return Flow(
        cast=cast, industry=industry, reform=reform, planting=planting,
        drafter=person("刘拟稿", [roles.DRAFTER], industry, title="科员"),
        industry_chief=person("周科长", [roles.SECTION_CHIEF, roles.HANDLER], industry, title="科长"),
        reform_chief=person("钱科长", [roles.SECTION_CHIEF], reform, title="科长"),
        planting_chief=person("孙科长", [roles.SECTION_CHIEF], planting, title="科长"),
        checker=person("陈核稿", [roles.CHECKER], cast.office, title="主任"),
        deputy=person("李副局长", [roles.DEPUTY_LEADER], None, title="副局长"),
        seal_keeper=person("何印章", [roles.SEAL_KEEPER], cast.office, title="科员"),
        handler=person("吴承办", [roles.HANDLER], reform, title="科员"),
        planting_handler=person("郑承办", [roles.HANDLER], planting, title="科员"),
        other_checker=person("财政核稿", [roles.CHECKER], other_office, cast.other_unit, title="主任"),
        other_leader=person("财政局长", [roles.PRINCIPAL_LEADER], None, cast.other_unit, title="局长"),
    )


@pytest.fixture
def flow(cast) -> Flow:
    return build_flow(cast)


@pytest.fixture(autouse=True)
def _fresh_definition_cache():
    """The engine caches parsed definitions by primary key; rolled-back tests reuse keys for other processes."""
    from zhengtong.workflow import engine

    engine._cache.clear()
    yield
    engine._cache.clear()
