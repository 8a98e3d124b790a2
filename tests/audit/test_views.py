"""Browsing the audit trail: who may see which records, filters, pages, the detail and the export."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhengtong.audit import services
from zhengtong.audit.actions import label_for
from zhengtong.audit.models import AuditRecord
from zhengtong.directory import services as directory

from .tamper import TABLE, sql

INDEX = reverse("audit:index")
EXPORT = reverse("audit:export")


def _detail(record) -> str:
    return reverse("audit:detail", args=[record.pk])


def _seqs(response) -> set[int]:
    return {record.seq for record in response.context["page"].records}


@pytest.fixture
def marked(cast):
    """One recognisable record in each unit."""
    return {
        "ours": services.record(actor=cast.admin, action="directory.roles.set", obj=cast.clerk, unit=cast.unit,
                                summary="农业局的记录", changes={"roles": [["clerk"], ["clerk", "handler"]]}),
        "theirs": services.record(actor=cast.outsider, action="directory.roles.set", obj=cast.outsider,
                                  unit=cast.other_unit, summary="财政局的记录"),
    }


# --- who may see what -------------------------------------------------------------------------

def test_the_list_requires_sign_in(client, db):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_a_platform_operator_sees_every_units_records(signed_in, cast, marked):
    response = signed_in(cast.operator).get(INDEX)
    assert response.status_code == 200
    assert {marked["ours"].seq, marked["theirs"].seq} <= _seqs(response)
    assert response.context["form"].fields.get("unit") is not None


def test_a_unit_admin_sees_only_their_units_records(signed_in, cast, marked):
    response = signed_in(cast.admin).get(INDEX)
    assert response.status_code == 200
    seqs = _seqs(response)
    assert marked["ours"].seq in seqs
    assert marked["theirs"].seq not in seqs
    assert set(AuditRecord.objects.filter(seq__in=seqs).values_list("unit_id", flat=True)) == {cast.unit.pk}
    assert "unit" not in response.context["form"].fields


def test_the_outsider_admin_does_not_see_the_other_units_records_in_the_list(signed_in, cast, marked):
    response = signed_in(cast.outsider).get(INDEX)
    assert response.status_code == 200
    assert marked["ours"].seq not in _seqs(response)
    assert marked["theirs"].seq in _seqs(response)
    assert "农业局的记录" not in response.content.decode()


def test_the_outsider_admin_cannot_widen_the_list_with_a_unit_parameter(signed_in, cast, marked):
    response = signed_in(cast.outsider).get(INDEX, {"unit": cast.unit.pk})
    assert marked["ours"].seq not in _seqs(response)


def test_the_outsider_admin_gets_404_for_a_record_of_the_other_unit(signed_in, cast, marked):
    client = signed_in(cast.outsider)
    assert client.get(_detail(marked["ours"])).status_code == 404
    assert client.get(_detail(marked["theirs"])).status_code == 200


def test_the_outsider_admin_gets_404_for_the_export_and_nothing_is_recorded(signed_in, cast, marked):
    before = AuditRecord.objects.count()
    response = signed_in(cast.outsider).get(EXPORT)
    assert response.status_code == 404
    assert AuditRecord.objects.count() == before


def test_a_unit_admin_gets_404_for_the_export(signed_in, cast, marked):
    assert signed_in(cast.admin).get(EXPORT).status_code == 404


@pytest.mark.parametrize("who", ["clerk", "section_chief", "leader"])
def test_people_without_the_right_get_404_on_the_list_and_the_detail(signed_in, cast, marked, who):
    client = signed_in(getattr(cast, who))
    assert client.get(INDEX).status_code == 404
    assert client.get(_detail(marked["ours"])).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_an_admin_working_in_a_unit_they_do_not_administer_gets_404(signed_in, cast, marked):
    """One person, two units: the trail follows the unit being worked in, not every post."""
    directory.add_membership(actor=cast.operator, user=cast.admin, unit=cast.other_unit)
    client = signed_in(cast.admin)
    session = client.session
    session["zhengtong_unit_id"] = cast.other_unit.pk
    session.save()
    assert client.get(INDEX).status_code == 404
    assert client.get(_detail(marked["ours"])).status_code == 404


def test_a_persons_sign_ins_belong_to_their_unit_so_its_admin_sees_them(signed_in, cast):
    sign_in = services.record(actor=cast.clerk, action="accounts.sign_in", obj=cast.clerk)
    assert sign_in.unit_id == cast.unit.pk
    assert sign_in.seq in _seqs(signed_in(cast.admin).get(INDEX))
    assert sign_in.seq not in _seqs(signed_in(cast.outsider).get(INDEX))


def test_the_nav_shows_the_audit_trail_only_to_operators_and_unit_admins(signed_in, cast):
    home = reverse("office:home")
    assert INDEX in signed_in(cast.operator).get(home).content.decode()
    assert INDEX in signed_in(cast.admin).get(home).content.decode()
    assert INDEX not in signed_in(cast.clerk).get(home).content.decode()


# --- filters ------------------------------------------------------------------------------------

def test_the_action_filter_keeps_only_that_action(signed_in, cast, marked):
    response = signed_in(cast.operator).get(INDEX, {"action": "directory.roles.set"})
    records = response.context["page"].records
    assert records and {r.action for r in records} == {"directory.roles.set"}


def test_the_actor_filter_matches_name_or_username(signed_in, cast, marked):
    client = signed_in(cast.operator)
    by_name = client.get(INDEX, {"actor": "外单位"}).context["page"].records
    assert by_name and {r.actor_id for r in by_name} == {cast.outsider.pk}
    by_username = client.get(INDEX, {"actor": cast.outsider.username[:4].upper()}).context["page"].records
    assert cast.outsider.pk in {r.actor_id for r in by_username}


def test_the_unit_filter_of_the_operator(signed_in, cast, marked):
    response = signed_in(cast.operator).get(INDEX, {"unit": cast.other_unit.pk})
    assert {r.unit_id for r in response.context["page"].records} == {cast.other_unit.pk}


def test_the_object_filter_matches_the_summary_or_object(signed_in, cast, marked):
    response = signed_in(cast.operator).get(INDEX, {"object": "财政局的"})
    assert _seqs(response) == {marked["theirs"].seq}


def test_the_time_range_includes_both_days(signed_in, cast, marked):
    today = timezone.localdate()
    client = signed_in(cast.operator)
    assert marked["ours"].seq in _seqs(client.get(INDEX, {"date_from": today, "date_to": today}))
    yesterday = today - timedelta(days=1)
    response = client.get(INDEX, {"date_to": yesterday})
    assert response.context["page"].records == []
    assert "没有符合条件的记录" in response.content.decode()


def test_an_end_date_before_the_start_is_refused_in_chinese_next_to_the_field(signed_in, cast, marked):
    response = signed_in(cast.operator).get(INDEX, {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert response.status_code == 400
    assert response.context["page"] is None
    html = response.content.decode()
    assert 'id="id_date_to-errors"' in html
    assert "结束日期不能早于开始日期" in html


def test_a_malformed_date_and_an_unknown_action_are_refused_in_chinese(signed_in, cast, marked):
    response = signed_in(cast.operator).get(INDEX, {"date_from": "yesterday", "action": "no.such.thing"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请输入日期" in html
    assert "请从列表中选择事项" in html


def test_a_bad_page_key_is_refused(signed_in, cast):
    assert signed_in(cast.operator).get(INDEX, {"before": "abc"}).status_code == 400


# --- pages --------------------------------------------------------------------------------------

def test_pages_go_newest_first_and_back_again_without_overlap(signed_in, cast):
    for i in range(120):
        services.record(actor=cast.admin, action="test.page", unit=cast.unit, summary=f"第{i}条")
    client = signed_in(cast.admin)
    first = client.get(INDEX, {"action": ""}).context["page"]
    all_ours = list(AuditRecord.objects.filter(unit_id=cast.unit.pk).order_by("-seq").values_list("seq", flat=True))
    assert [r.seq for r in first.records] == all_ours[:50]
    assert first.newer_than is None and first.older_than == all_ours[49]
    second = client.get(INDEX, {"before": first.older_than}).context["page"]
    assert [r.seq for r in second.records] == all_ours[50:100]
    back = client.get(INDEX, {"after": second.newer_than}).context["page"]
    assert [r.seq for r in back.records] == all_ours[:50]
    last = client.get(INDEX, {"before": second.older_than}).context["page"]
    assert [r.seq for r in last.records] == all_ours[100:]
    assert last.older_than is None


def test_page_links_keep_the_filter(signed_in, cast):
    for _ in range(60):
        services.record(actor=cast.admin, action="test.page", unit=cast.unit)
    response = signed_in(cast.admin).get(INDEX, {"actor": "管理员"})
    assert "actor=%E7%AE%A1%E7%90%86%E5%91%98&amp;before=" in response.content.decode()


# --- the detail -----------------------------------------------------------------------------------

def test_the_detail_shows_changes_old_to_new_and_the_hashes(signed_in, cast):
    record = services.record(actor=cast.admin, action="directory.person.update_contact", obj=cast.clerk,
                             unit=cast.unit, summary="改了手机号",
                             changes={"mobile": ["13800000000", "13900000000"], "note": {"why": "换号"}})
    response = signed_in(cast.admin).get(_detail(record))
    assert response.status_code == 200
    html = response.content.decode()
    assert "13800000000" in html and "13900000000" in html
    assert "bi-arrow-right" in html
    assert record.hash in html and record.prev_hash in html
    assert label_for("directory.person.update_contact") in html
    assert "联系方式" in html  # the action's label, in Chinese
    rows = {row["key"]: row for row in response.context["change_rows"]}
    assert rows["mobile"]["old"] == "13800000000" and rows["mobile"]["new"] == "13900000000"
    assert rows["note"]["value"] == '{"why": "换号"}'
    assert response.context["problem"] is None


def test_the_detail_of_an_altered_record_says_it_fails_the_check(signed_in, cast, marked):
    sql(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["篡改", marked["ours"].pk])
    response = signed_in(cast.admin).get(_detail(marked["ours"]))
    assert response.context["problem"] is not None
    assert "未通过链校验" in response.content.decode()


# --- the export ---------------------------------------------------------------------------------

def test_the_operator_exports_the_filtered_list_to_excel_and_the_export_is_recorded(signed_in, cast, marked):
    services.record(actor=cast.admin, action="test.thing", unit=cast.unit, summary="=HYPERLINK(\"x\")")
    response = signed_in(cast.operator).get(EXPORT, {"unit": cast.unit.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "时间", "操作人")
    expected = AuditRecord.objects.filter(unit_id=cast.unit.pk).exclude(action="audit.records.export").count()
    assert len(rows) - 1 == expected
    assert {row[3] for row in rows[1:]} == {cast.unit.name}
    assert "=HYPERLINK(\"x\")" in {row[8] for row in rows[1:]}  # kept as text, not a formula
    export = AuditRecord.objects.get(action="audit.records.export")
    assert export.actor_id == cast.operator.pk
    assert export.changes["count"] == expected


def test_an_export_with_a_bad_filter_is_refused(signed_in, cast):
    response = signed_in(cast.operator).get(EXPORT, {"date_from": "2026-13-40"})
    assert response.status_code == 400
    assert not AuditRecord.objects.filter(action="audit.records.export").exists()
