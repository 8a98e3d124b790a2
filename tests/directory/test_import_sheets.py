"""The template the import offers for download, and the export in the same layout."""

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from zhengtong.audit.models import AuditRecord
from zhengtong.directory import services as directory
from zhengtong.directory.imports import services as imports
from zhengtong.directory.models import Membership

HEADER = ["姓名*", "用户名", "科室", "职务", "手机号码", "电子邮箱", "办公电话", "排列顺序", "领导排序", "角色"]


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(response.content))


def header(sheet, row=1):
    return [cell.value for cell in sheet[row]]


def validation_for(sheet, column_letter):
    for validation in sheet.data_validations.dataValidation:
        if any(str(ref).startswith(f"{column_letter}2") for ref in validation.sqref.ranges):
            return validation
    return None


def test_the_template_has_the_columns_instructions_example_and_lists(signed_in, cast):
    directory.create_department(actor=None, unit=cast.unit, name="综合组", parent=cast.office)
    response = signed_in(cast.admin).get(reverse("directory-import:template", args=[cast.unit.pk]))
    book = workbook(response)
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    assert book.sheetnames == ["人员信息", "填写说明", "填写示例", "选项"]
    people, instructions, example, lists = (book[name] for name in book.sheetnames)
    assert header(people) == HEADER
    assert people.max_row == 1, "the sheet to fill in holds no example row"
    assert lists.sheet_state == "hidden"
    assert [cell.value for cell in lists["A"][1:] if cell.value] == ["办公室", "办公室/综合组"]
    roles = [cell.value for cell in lists["B"][1:] if cell.value]
    assert "拟稿人" in roles and "收发员/交换员" in roles
    assert not any(role.startswith("平台管理员") for role in roles), "a unit admin cannot give platform roles"
    assert validation_for(people, "C").formula1 == "'选项'!$A$2:$A$3"
    assert validation_for(people, "J").formula1.startswith("'选项'!$B$2:$B$")
    assert people["E2"].number_format == "@" or people.column_dimensions["E"].number_format == "@"
    texts = " ".join(str(cell.value) for row in instructions.iter_rows() for cell in row if cell.value)
    assert "农业农村局人员信息导入模板" in texts and "只能下载一次" in texts
    assert "仅为示例" in example["A1"].value
    assert header(example, 2) == HEADER and example["A3"].value == "张三"


def test_the_operator_template_offers_the_platform_roles_too(signed_in, cast):
    book = workbook(signed_in(cast.operator).get(reverse("directory-import:template", args=[cast.unit.pk])))
    assert any(str(cell.value).startswith("平台管理员") for cell in book["选项"]["B"])


def test_the_template_of_a_unit_without_departments_has_no_department_list(signed_in, cast):
    book = workbook(signed_in(cast.outsider).get(reverse("directory-import:template", args=[cast.other_unit.pk])))
    assert validation_for(book["人员信息"], "C") is None
    assert validation_for(book["人员信息"], "J") is not None


def test_the_export_has_the_template_columns_plus_status_and_is_audited(signed_in, cast):
    Membership.objects.filter(user=cast.clerk, unit=cast.unit).update(office_phone="0750-1234567", sort_order=5)
    response = signed_in(cast.admin).get(reverse("directory-import:export", args=[cast.unit.pk]))
    sheet = workbook(response)["人员信息"]
    assert header(sheet) == [*HEADER, "状态"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {cast.admin.username, cast.clerk.username, cast.section_chief.username,
                         cast.leader.username}
    clerk = rows[cast.clerk.username]
    assert clerk[:4] == ("收发员乙", cast.clerk.username, "办公室", "科员")
    assert clerk[6:8] == ("0750-1234567", 5)
    assert clerk[9] == "收发员/交换员" and clerk[10]
    assert cast.outsider.username not in rows, "nobody of another unit is exported"
    assert AuditRecord.objects.filter(action="directory.people.export", actor_id=cast.admin.pk).count() == 1


def test_someone_who_left_the_unit_is_exported_with_that_status(signed_in, cast):
    Membership.objects.filter(user=cast.leader, unit=cast.unit).update(is_active=False)
    sheet = workbook(signed_in(cast.admin).get(reverse("directory-import:export", args=[cast.unit.pk])))["人员信息"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[cast.leader.username][10] == "已离开本单位"


def test_an_export_with_the_usernames_cleared_imports_into_another_unit(cast):
    data = imports.export_people(actor=cast.admin, unit=cast.unit)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        row[1].value = None  # a new account in the other unit
        row[2].value = None  # the other unit has other departments
    buffer = io.BytesIO()
    book.save(buffer)
    people_import, planned = imports.upload_sheet(actor=cast.outsider, unit=cast.other_unit, file_name="x.xlsx",
                                                  data=buffer.getvalue())
    assert people_import is not None, [row.errors for row in planned]
    assert {row.name for row in planned} == {"管理员甲", "收发员乙", "科长丙", "局长丁"}
    leader = next(row for row in planned if row.name == "局长丁")
    assert leader.role_codes == ["principal_leader"] and leader.title == "局长"
    assert all(row.username.endswith("01") for row in planned), "the numbering continues after the originals"
