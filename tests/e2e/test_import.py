"""Browser test: the unit admin imports people from the downloaded template, after fixing a bad row."""

from __future__ import annotations

import openpyxl
import pytest

from zhengtong.directory.models import Membership, User


def _upload(page, path):
    page.set_input_files("#id_file", str(path))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_unit_admin_fixes_a_bad_row_then_imports_the_sheet(page, live_server, cast, sign_in_as, tmp_path):
    sign_in_as(cast.admin, cast.password)
    page.goto(f"{live_server.url}/office/directory/import/")
    assert page.locator("h1").inner_text() == "从 Excel 表格批量导入人员"

    with page.expect_download() as download:
        page.locator("[data-testid=download-template]").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    assert download.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(template)  # a valid workbook, or this raises
    assert book.sheetnames[:3] == ["人员信息", "填写说明", "填写示例"]
    sheet = book["人员信息"]
    assert sheet["A1"].value == "姓名*"

    sheet.append(["孙悟空", "", "办公室", "科员", "13800138000", "", "", 10, None, "拟稿人"])
    sheet.append(["猪八戒", "", "办公室", "科员", "1380013", "", "", 20, None, "承办人"])
    sheet.append(["沙悟净", "", "", "", "13800138002", "", "", 30, None, ""])
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    _upload(page, bad)
    errors = page.locator("#import-errors")
    assert "行 3：手机号码“1380013”格式不正确" in errors.inner_text()
    assert "未导入任何人员" in errors.inner_text()
    assert page.locator("[data-testid=confirm-import]").count() == 0
    assert not User.objects.filter(name="孙悟空").exists()

    sheet["E3"] = "13800138001"
    good = tmp_path / "good.xlsx"
    book.save(good)
    _upload(page, good)
    assert "sunwukong" in page.locator("table.zt-import-rows").inner_text()
    page.locator("[data-testid=confirm-import]").click()
    page.wait_for_load_state("networkidle")

    bar = page.locator("[data-testid=progress-bar]")
    bar.filter(has_text="100%").wait_for()
    assert page.locator("[role=progressbar]").get_attribute("aria-valuenow") == "100"
    created = page.locator("[data-testid=created-people]").inner_text()
    assert "sunwukong" in created and "zhubajie" in created and "shawujing" in created
    assert Membership.objects.filter(unit=cast.unit, user__username__in=["sunwukong", "zhubajie", "shawujing"],
                                     is_active=True).count() == 3

    with page.expect_download() as download:
        page.locator("[data-testid=download-passwords]").click()
    passwords = tmp_path / "passwords.xlsx"
    download.value.save_as(passwords)
    rows = list(openpyxl.load_workbook(passwords).active.iter_rows(min_row=3, values_only=True))
    assert [row[2] for row in rows] == ["sunwukong", "zhubajie", "shawujing"]
    assert User.objects.get(username="zhubajie").check_password(rows[1][3])
    page.get_by_text("已下载。初始密码已从系统中删除").wait_for()
    page.reload()
    assert page.locator("[data-testid=download-passwords]").count() == 0
    assert "已从系统中删除" in page.locator("[data-testid=passwords-gone]").inner_text()
    assert page.context.outside_requests == []


@pytest.mark.django_db(transaction=True)
def test_the_import_page_fits_a_phone(phone_page, live_server, cast, sign_in_as):
    sign_in_as(cast.admin, cast.password, target=phone_page)
    phone_page.goto(f"{live_server.url}/office/directory/import/unit/{cast.unit.pk}/")
    assert phone_page.locator("[data-testid=download-template]").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
