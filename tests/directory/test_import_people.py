"""Bulk import of people from an Excel sheet: preview, row-by-row errors in Chinese, all or nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengtong.audit.models import AuditRecord
from zhengtong.directory import services as directory
from zhengtong.directory.imports import services as imports
from zhengtong.directory.imports.models import PeopleImport
from zhengtong.directory.models import Membership, RoleAssignment, User

HEADER = ["姓名*", "用户名", "科室", "职务", "手机号码", "电子邮箱", "办公电话", "排列顺序", "领导排序", "角色"]
TWENTY_NAMES = ["赵一", "钱二", "孙三", "李四", "周五", "吴六", "郑七", "王八", "冯九", "陈十",
                "褚明", "卫东", "蒋华", "沈阳", "韩梅", "杨帆", "朱莉", "秦岭", "许诺", "何平"]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def person(name, username="", department="办公室", title="科员", mobile="13800138000", email="", phone="",
           order="", leader="", roles="拟稿人"):
    return [name, username, department, title, mobile, email, phone, order, leader, roles]


def upload_url(unit):
    return reverse("directory-import:upload", args=[unit.pk])


def post_sheet(client, unit, data, name="人员.xlsx"):
    return client.post(upload_url(unit), {"file": SimpleUploadedFile(name, data)})


def check(cast, rows, actor=None, unit=None):
    """Run the check as the unit admin and return (import or None, planned rows)."""
    return imports.upload_sheet(actor=actor or cast.admin, unit=unit or cast.unit, file_name="人员.xlsx",
                                data=xlsx(rows))


def errors_of(planned):
    return [message for row in planned for message in (error["message"] for error in row.errors)]


def run(people_import, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        imports.confirm_import(actor=actor, people_import=people_import)
    people_import.refresh_from_db()
    return people_import


# --- a valid sheet ------------------------------------------------------------------------------

def test_a_valid_sheet_of_twenty_rows_imports_everyone(signed_in, cast, django_capture_on_commit_callbacks):
    client = signed_in(cast.admin)
    rows = [person(name, mobile=f"139{index:08d}", order=str(index)) for index, name in enumerate(TWENTY_NAMES)]
    response = post_sheet(client, cast.unit, xlsx(rows))
    assert response.status_code == 302, response.context["row_errors"] or response.context["form"].errors
    people_import = PeopleImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directory-import:detail", args=[cast.unit.pk, people_import.pk])
    assert User.objects.filter(name__in=TWENTY_NAMES).count() == 0, "the preview writes no one"

    preview = client.get(response["Location"]).content.decode()
    assert "zhaoyi" in preview and "qianer" in preview
    assert 'data-testid="confirm-import"' in preview

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory-import:confirm", args=[cast.unit.pk, people_import.pk]))
    assert response.status_code == 302
    people_import.refresh_from_db()
    assert people_import.status == PeopleImport.Status.DONE
    assert people_import.created_count == 20 and people_import.done_rows == 20 and people_import.percent == 100
    created = Membership.objects.filter(unit=cast.unit, user__name__in=TWENTY_NAMES)
    assert created.count() == 20
    assert set(created.values_list("department", flat=True)) == {cast.office.pk}
    assert RoleAssignment.objects.filter(unit=cast.unit, user__name__in=TWENTY_NAMES, role__code="drafter").count() == 20
    assert User.objects.get(name="沈阳").mobile == "13900000013"
    assert AuditRecord.objects.filter(action="directory.import.done").count() == 1
    assert AuditRecord.objects.filter(action="directory.person.create", actor_id=cast.admin.pk).count() == 20

    page = client.get(reverse("directory-import:detail", args=[cast.unit.pk, people_import.pk])).content.decode()
    progress = page[page.index('id="import-progress"'):]
    progress = progress[:progress.index(">")]
    assert "100%" in page and "hx-trigger" not in progress, "a finished import stops polling"
    assert "zhaoyi" in page and 'data-testid="download-passwords"' in page


def test_a_second_run_of_the_same_import_creates_no_one_twice(cast, django_capture_on_commit_callbacks):
    people_import, _ = check(cast, [person("赵一")])
    run(people_import, cast.admin, django_capture_on_commit_callbacks)
    assert imports.run_import(import_id=people_import.pk) is None
    assert User.objects.filter(name="赵一").count() == 1


# --- a broken row -------------------------------------------------------------------------------

def test_one_bad_mobile_number_imports_nothing_and_the_page_names_row_and_problem_in_chinese(signed_in, cast):
    client = signed_in(cast.admin)
    users_before = User.objects.count()
    rows = [person("赵一"), person("钱二"), person("孙三", mobile="1381234"), person("李四")]
    response = post_sheet(client, cast.unit, xlsx(rows))
    page = response.content.decode()
    assert response.status_code == 400
    assert "行 4：手机号码“1381234”格式不正确" in page
    assert "没有导入任何人员" in page or "未导入任何人员" in page
    assert 'data-testid="confirm-import"' not in page
    assert PeopleImport.objects.count() == 0
    assert User.objects.count() == users_before


def test_a_previewed_import_cannot_be_confirmed_twice(cast, django_capture_on_commit_callbacks):
    people_import, _ = check(cast, [person("赵一")])
    run(people_import, cast.admin, django_capture_on_commit_callbacks)
    with pytest.raises(Exception, match="已经开始"):
        imports.confirm_import(actor=cast.admin, people_import=people_import)


def test_a_username_taken_after_the_preview_fails_the_run_and_writes_no_one(cast, django_capture_on_commit_callbacks):
    people_import, _ = check(cast, [person("赵一"), person("钱二", username="qianer")])
    directory.create_person(actor=None, unit=cast.other_unit, name="钱二", username="qianer")
    people_import = run(people_import, cast.admin, django_capture_on_commit_callbacks)
    assert people_import.status == PeopleImport.Status.FAILED
    assert not User.objects.filter(name="赵一").exists()
    assert "行 3：用户名“qianer”已被占用" in imports.failure_messages(people_import)[0]
    assert people_import.passwords == ""


def test_an_admin_who_lost_the_role_before_the_run_imports_no_one(cast, django_capture_on_commit_callbacks):
    people_import, _ = check(cast, [person("赵一")])
    RoleAssignment.objects.filter(user=cast.admin, role__code="unit_admin").delete()
    with django_capture_on_commit_callbacks(execute=True):
        PeopleImport.objects.filter(pk=people_import.pk).update(status=PeopleImport.Status.RUNNING,
                                                               confirmed_by=cast.admin)
        imports.run_import(import_id=people_import.pk)
    people_import.refresh_from_db()
    assert people_import.status == PeopleImport.Status.FAILED
    assert not User.objects.filter(name="赵一").exists()


# --- usernames ------------------------------------------------------------------------------------

def test_two_people_of_the_same_name_get_zhangsan_and_zhangsan01_in_sheet_order(cast):
    _, planned = check(cast, [person("张三", mobile="13800000001"), person("张三", mobile="13800000002")])
    assert [row.username for row in planned] == ["zhangsan", "zhangsan01"]
    assert all(row.ok for row in planned)


def test_a_clash_with_an_existing_account_continues_the_numbering(cast):
    directory.create_person(actor=None, unit=cast.other_unit, name="张三")
    directory.create_person(actor=None, unit=cast.other_unit, name="张三")  # zhangsan01
    _, planned = check(cast, [person("张三"), person("张三")])
    assert [row.username for row in planned] == ["zhangsan02", "zhangsan03"]


def test_a_username_written_in_the_sheet_is_kept_free_for_its_row(cast):
    _, planned = check(cast, [person("张三"), person("张珊", username="zhangsan")])
    assert [row.username for row in planned] == ["zhangsan01", "zhangsan"]


def test_the_same_username_twice_in_the_sheet_is_an_error_naming_the_first_row(cast):
    people_import, planned = check(cast, [person("赵一", username="zhao"), person("赵二", username="zhao")])
    assert people_import is None
    assert errors_of(planned) == ["用户名“zhao”与第 2 行重复。"]


def test_a_username_already_taken_is_an_error(cast):
    _, planned = check(cast, [person("收发员", username=cast.clerk.username)])
    assert "已被占用" in errors_of(planned)[0]


def test_a_badly_formed_username_is_an_error(cast):
    _, planned = check(cast, [person("赵一", username="1zhao")])
    assert "用户名“1zhao”格式不正确" in errors_of(planned)[0]


def test_a_name_with_a_character_without_pinyin_needs_a_username(cast):
    people_import, planned = check(cast, [person("王𠮷")])
    assert people_import is None
    assert "“𠮷”没有对应的拼音" in errors_of(planned)[0]
    assert "用户名" in errors_of(planned)[0]

    people_import, planned = check(cast, [person("王𠮷", username="wangji")])
    assert people_import is not None and planned[0].username == "wangji"


def test_a_surname_with_a_special_reading_takes_it(cast):
    _, planned = check(cast, [person("单明")])
    assert planned[0].username == "shanming"


def test_a_missing_name_is_an_error(cast):
    _, planned = check(cast, [person("", mobile="13800000001")])
    assert errors_of(planned) == ["姓名未填写。"]


# --- departments, roles, numbers, contact details ------------------------------------------------

def test_a_department_that_does_not_exist_is_an_error(cast):
    _, planned = check(cast, [person("赵一", department="宣传科")])
    assert errors_of(planned) == ["农业局没有科室“宣传科”。请从模板的下拉列表中选择，或先添加该科室。"]


def test_a_department_of_another_unit_is_not_found(cast):
    directory.create_department(actor=None, unit=cast.other_unit, name="预算科")
    _, planned = check(cast, [person("赵一", department="预算科")])
    assert "没有科室“预算科”" in errors_of(planned)[0]


def test_a_department_is_found_by_path_or_by_a_unique_name(cast):
    group = directory.create_department(actor=None, unit=cast.unit, name="综合组", parent=cast.office)
    _, planned = check(cast, [person("赵一", department="办公室/综合组"), person("钱二", department="综合组"),
                              person("孙三", department=" 办公室 ／ 综合组 ")])
    assert [row.department_id for row in planned] == [group.pk] * 3
    assert planned[0].department == "办公室/综合组"


def test_an_ambiguous_department_name_asks_for_the_path(cast):
    other = directory.create_department(actor=None, unit=cast.unit, name="业务科")
    directory.create_department(actor=None, unit=cast.unit, name="综合组", parent=cast.office)
    directory.create_department(actor=None, unit=cast.unit, name="综合组", parent=other)
    _, planned = check(cast, [person("赵一", department="综合组")])
    assert "有多个科室叫“综合组”" in errors_of(planned)[0]


def test_an_unknown_role_is_an_error(cast):
    people_import, planned = check(cast, [person("赵一", roles="拟稿人、打字员")])
    assert people_import is None
    assert errors_of(planned) == ["未知角色：打字员。请填写角色名称或代码，多个角色用“、”分隔。"]


def test_roles_are_found_by_name_part_or_code(cast):
    _, planned = check(cast, [person("赵一", roles="收发员, handler；主要领导")])
    assert planned[0].role_codes == ["principal_leader", "clerk", "handler"]


def test_a_unit_admin_cannot_give_a_platform_role_but_the_operator_can(cast):
    _, planned = check(cast, [person("赵一", roles="平台管理员")])
    assert "您无权授予角色平台管理员（政务信息中心）" in errors_of(planned)[0]
    people_import, planned = check(cast, [person("赵一", roles="平台管理员")], actor=cast.operator)
    assert people_import is not None and planned[0].role_codes == ["platform_operator"]


@pytest.mark.parametrize(("column", "value", "message"), [
    (7, "abc", "“排列顺序”必须是 0 至 999999 之间的整数，而不是“abc”。"),
    (8, "-1", "“领导排序”必须是 0 至 999999 之间的整数，而不是“-1”。"),
    (5, "zhang@", "电子邮箱“zhang@”格式不正确。"),
    (6, "办公室电话", "办公电话“办公室电话”格式不正确"),
    (4, "010-12345678", "手机号码“010-12345678”格式不正确"),
])
def test_bad_numbers_and_contact_details_are_errors(cast, column, value, message):
    row = person("赵一")
    row[column] = value
    _, planned = check(cast, [row])
    assert errors_of(planned)[0].startswith(message)


def test_spaces_and_full_width_characters_are_cleaned(cast):
    row = ["　张　三 ", " ZhangSanFeng ", " 办公室 ", " 副 科长 ", "＋86 １３８-００１３ ８０００", "ＺＳ＠example.com ",
           "（0750）１２３４５６７", "１０", "２", "拟稿人，承办人"]
    people_import, planned = check(cast, [row])
    assert people_import is not None, errors_of(planned)
    row = planned[0]
    assert (row.name, row.username, row.department_id, row.title) == ("张三", "zhangsanfeng", cast.office.pk, "副 科长")
    assert (row.mobile, row.email, row.office_phone) == ("13800138000", "ZS@example.com", "(0750)1234567")
    assert (row.sort_order, row.leader_order, row.role_codes) == (10, 2, ["drafter", "handler"])


def test_numbers_typed_as_numbers_in_excel_are_read_as_text(cast):
    _, planned = check(cast, [["赵一", None, None, None, 13800138000, None, None, 10.0, None, None]])
    assert planned[0].ok and planned[0].mobile == "13800138000" and planned[0].sort_order == 10


def test_a_namesake_in_the_unit_is_a_warning_not_an_error(cast):
    people_import, planned = check(cast, [person(cast.clerk.name)])
    assert people_import is not None
    assert cast.clerk.username in planned[0].warnings[0]


def test_columns_may_come_in_another_order_and_english_headers_are_understood(cast):
    data = xlsx([["13800138000", "赵一", "Office phone is ignored?"]], header=["Mobile number", "Name", "备注"])
    people_import, planned = imports.upload_sheet(actor=cast.admin, unit=cast.unit, file_name="a.xlsx", data=data)
    assert people_import is not None and planned[0].name == "赵一" and planned[0].mobile == "13800138000"


# --- files that are not a people sheet --------------------------------------------------------------

@pytest.mark.parametrize(("name", "data", "message"), [
    ("人员.txt", "张三,zhangsan".encode(), "只能导入 Excel 工作簿（.xlsx）"),
    ("人员.xlsx", "张三,zhangsan".encode(), "不是 Excel 工作簿（.xlsx）"),
    ("人员.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel 97-2003（.xls）"),
    ("人员.xlsx", b"PK\x03\x04" + b"\0" * 100, "文件已损坏"),
    ("人员.xlsx", xlsx([], header=None), "表格是空的"),
    ("人员.xlsx", xlsx([]), "只有标题行"),
    ("人员.xlsx", xlsx([["张三"]], header=["名字", "电话"]), "标题行中没有“姓名”列"),
])
def test_a_file_that_is_not_a_people_sheet_is_refused_next_to_the_field(signed_in, cast, name, data, message):
    client = signed_in(cast.admin)
    response = post_sheet(client, cast.unit, data, name=name)
    assert response.status_code == 400
    assert message in response.context["form"].errors["file"][0]
    assert 'id="id_file-errors"' in response.content.decode()
    assert PeopleImport.objects.count() == 0


def test_a_file_over_two_megabytes_is_refused(signed_in, cast):
    response = post_sheet(signed_in(cast.admin), cast.unit, b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024))
    assert response.status_code == 400
    assert "文件过大" in response.context["form"].errors["file"][0]


def test_more_than_five_thousand_people_are_refused(cast):
    from zhengtong.directory.imports.sheets import SheetError

    with pytest.raises(SheetError, match="最多一次导入 5000 人"):
        check(cast, [["赵一"]] * 5001)


def test_the_template_example_sheet_is_never_imported(signed_in, cast):
    client = signed_in(cast.admin)
    template = client.get(reverse("directory-import:template", args=[cast.unit.pk])).content
    response = post_sheet(client, cast.unit, template)
    assert response.status_code == 400
    assert "只有标题行" in response.context["form"].errors["file"][0]


# --- the one-time passwords ----------------------------------------------------------------------

def _done_import(cast, captured, rows=None):
    people_import, _ = check(cast, rows or [person("赵一"), person("钱二")])
    return run(people_import, cast.admin, captured)


def test_the_passwords_are_downloaded_once_and_work_for_the_first_sign_in(signed_in, cast,
                                                                         django_capture_on_commit_callbacks):
    people_import = _done_import(cast, django_capture_on_commit_callbacks)
    client = signed_in(cast.admin)
    url = reverse("directory-import:passwords", args=[cast.unit.pk, people_import.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert [(row[1], row[2]) for row in rows] == [("赵一", "zhaoyi"), ("钱二", "qianer")]
    for row in rows:
        user = User.objects.get(username=row[2])
        assert user.check_password(row[3]) and user.must_change_password
    people_import.refresh_from_db()
    assert people_import.passwords == "" and people_import.passwords_taken_at is not None

    again = client.post(url)
    assert again.status_code == 302
    assert "已下载过" in client.get(again["Location"]).content.decode()
    assert AuditRecord.objects.filter(action="directory.import.passwords").count() == 1


def test_the_passwords_are_not_kept_in_clear_text(cast, django_capture_on_commit_callbacks):
    from zhengtong.directory.imports import vault

    people_import = _done_import(cast, django_capture_on_commit_callbacks)
    passwords = vault.unseal(people_import.passwords)
    assert set(passwords) == {"zhaoyi", "qianer"}
    assert all(password not in people_import.passwords for password in passwords.values())


def test_passwords_nobody_downloaded_are_wiped_after_a_week(cast, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    people_import = _done_import(cast, django_capture_on_commit_callbacks)
    assert imports.wipe_stale_passwords() == 0
    PeopleImport.objects.filter(pk=people_import.pk).update(finished_at=timezone.now() - timedelta(days=8))
    assert imports.wipe_stale_passwords() == 1
    people_import.refresh_from_db()
    assert people_import.passwords == "" and people_import.passwords_wiped_at is not None


# --- progress ----------------------------------------------------------------------------------------

def test_the_progress_bar_polls_while_running_and_stops_when_done(signed_in, cast,
                                                                   django_capture_on_commit_callbacks):
    people_import, _ = check(cast, [person("赵一"), person("钱二")])
    PeopleImport.objects.filter(pk=people_import.pk).update(status=PeopleImport.Status.RUNNING, done_rows=1,
                                                           stage=PeopleImport.Stage.PREPARING)
    client = signed_in(cast.admin)
    url = reverse("directory-import:progress", args=[cast.unit.pk, people_import.pk])
    running = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in running and 'aria-valuenow="50"' in running and "正在准备账号和密码" in running

    PeopleImport.objects.filter(pk=people_import.pk).update(status=PeopleImport.Status.PREVIEWED, done_rows=0)
    run(people_import, cast.admin, django_capture_on_commit_callbacks)
    done = client.get(url).content.decode()
    assert "hx-trigger" not in done and 'aria-valuenow="100"' in done and "zhaoyi" in done


# --- who may do it --------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["clerk", "outsider", "leader"])
def test_only_the_unit_admin_reaches_the_import_pages_of_the_unit(signed_in, cast, who,
                                                                  django_capture_on_commit_callbacks):
    people_import = _done_import(cast, django_capture_on_commit_callbacks)
    previewed, _ = check(cast, [person("孙三")])
    client = signed_in(getattr(cast, who))
    unit = cast.unit.pk
    for name, args in [("upload", [unit]), ("template", [unit]), ("export", [unit]),
                       ("detail", [unit, people_import.pk]), ("progress", [unit, people_import.pk])]:
        assert client.get(reverse(f"directory-import:{name}", args=args)).status_code == 404, name
    assert post_sheet(client, cast.unit, xlsx([person("周五")])).status_code == 404
    assert client.post(reverse("directory-import:confirm", args=[unit, previewed.pk])).status_code == 404
    assert client.post(reverse("directory-import:passwords", args=[unit, people_import.pk])).status_code == 404
    previewed.refresh_from_db()
    people_import.refresh_from_db()
    assert previewed.status == PeopleImport.Status.PREVIEWED and previewed.confirmed_by is None
    assert people_import.passwords != ""
    assert not User.objects.filter(name__in=["孙三", "周五"]).exists()
    assert not AuditRecord.objects.filter(action="directory.people.export").exists()


def test_the_outsider_cannot_reach_an_import_of_the_unit_through_their_own_unit(signed_in, cast,
                                                                                django_capture_on_commit_callbacks):
    people_import = _done_import(cast, django_capture_on_commit_callbacks)
    client = signed_in(cast.outsider)
    own = cast.other_unit.pk
    assert client.get(reverse("directory-import:upload", args=[own])).status_code == 200
    assert client.get(reverse("directory-import:detail", args=[own, people_import.pk])).status_code == 404
    assert client.post(reverse("directory-import:passwords", args=[own, people_import.pk])).status_code == 404
    people_import.refresh_from_db()
    assert people_import.passwords != ""


def test_the_services_refuse_someone_who_does_not_administer_the_unit(cast):
    with pytest.raises(imports.ImportPermissionDenied):
        check(cast, [person("赵一")], actor=cast.outsider)
    with pytest.raises(imports.ImportPermissionDenied):
        imports.export_people(actor=cast.clerk, unit=cast.unit)


def test_the_operator_may_import_into_and_export_any_unit(signed_in, cast):
    client = signed_in(cast.operator)
    assert client.get(reverse("directory-import:export", args=[cast.unit.pk])).status_code == 200
    response = post_sheet(client, cast.unit, xlsx([person("赵一")]))
    assert response.status_code == 302


def test_the_import_start_page_opens_the_unit_one_administers(signed_in, cast):
    response = signed_in(cast.admin).get(reverse("directory-import:index"))
    assert response["Location"] == upload_url(cast.unit)


def test_someone_who_administers_no_unit_finds_no_import_page(signed_in, cast):
    assert signed_in(cast.clerk).get(reverse("directory-import:index")).status_code == 404


def test_nothing_can_be_imported_into_a_dissolved_unit(signed_in, cast):
    from zhengtong.directory.models import Unit

    Unit.objects.filter(pk=cast.unit.pk).update(status=Unit.Status.DISSOLVED)
    client = signed_in(cast.operator)
    assert client.get(reverse("directory-import:template", args=[cast.unit.pk])).status_code == 404
    assert post_sheet(client, cast.unit, xlsx([person("赵一")])).status_code == 404
    assert PeopleImport.objects.count() == 0 and not User.objects.filter(name="赵一").exists()


# --- the background run ------------------------------------------------------------------------

def test_an_import_whose_worker_died_is_marked_failed_and_wrote_no_one(cast):
    from datetime import timedelta

    from django.utils import timezone

    people_import, _ = check(cast, [person("赵一")])
    PeopleImport.objects.filter(pk=people_import.pk).update(
        status=PeopleImport.Status.RUNNING, confirmed_by=cast.admin, stage=PeopleImport.Stage.WRITING,
        started_at=timezone.now() - timedelta(hours=1))
    assert imports.fail_stalled_imports() == 0, "an hour is not yet stalled"
    PeopleImport.objects.filter(pk=people_import.pk).update(started_at=timezone.now() - timedelta(hours=7))
    assert imports.fail_stalled_imports() == 1
    people_import.refresh_from_db()
    assert people_import.status == PeopleImport.Status.FAILED
    assert "后台任务在导入完成前停止" in imports.failure_messages(people_import)[0]
    assert imports.run_import(import_id=people_import.pk) is None, "a failed import never runs"
    assert not User.objects.filter(name="赵一").exists()


def test_passwords_hashed_before_the_writing_transaction_still_sign_in(cast, monkeypatch,
                                                                      django_capture_on_commit_callbacks):
    """When create_person takes a ready hash, the slow hashing happens outside the one transaction."""
    real = directory.create_person
    hashes = []

    def create_person(*, password_hash: str = "", **kwargs):
        user, _password = real(**kwargs)
        hashes.append(password_hash)
        user.password = password_hash
        user.save(update_fields=["password"])
        return user, ""

    monkeypatch.setattr(directory, "create_person", create_person)
    people_import = _done_import(cast, django_capture_on_commit_callbacks)
    assert len(hashes) == 2 and all(hashes)
    data = imports.take_passwords(actor=cast.admin, people_import=people_import)
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=3, values_only=True))
    assert all(User.objects.get(username=row[2]).check_password(row[3]) for row in rows)


def test_the_audit_trail_names_the_import_actions_in_chinese(cast):
    from django.utils import translation

    from zhengtong.audit.actions import label_for

    with translation.override("zh-hans"):
        assert label_for("directory.import.done") == "从表格批量导入人员"
        assert label_for("directory.people.export") == "导出人员到 Excel"
