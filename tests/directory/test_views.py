"""The directory management pages, used as the operator and a unit admin would."""

import pytest
from django.urls import reverse

from zhengtong.directory import roles, services
from zhengtong.directory.models import Department, Membership, RoleAssignment, Unit, UnitCategory, User, UserGroup
from zhengtong.directory.views import ONE_TIME_KEY


def test_the_nav_shows_directory_to_admins_and_operators_only(signed_in, cast):
    home = reverse("office:home")
    assert "组织机构" in signed_in(cast.admin).get(home).content.decode()
    assert "组织机构" in signed_in(cast.operator).get(home).content.decode()
    assert reverse("directory:index") not in signed_in(cast.clerk).get(home).content.decode()


def test_index_sends_the_operator_to_units_and_a_unit_admin_to_their_people(signed_in, cast):
    assert signed_in(cast.operator).get(reverse("directory:index"))["Location"] == reverse("directory:units")
    response = signed_in(cast.admin).get(reverse("directory:index"))
    assert response["Location"] == reverse("directory:people", kwargs={"unit_pk": cast.unit.pk})


def test_the_operator_sees_units_grouped_by_category_and_ended_units_apart(signed_in, cast):
    services.dissolve_unit(actor=cast.operator, unit=cast.other_unit, end_note="移交区档案馆")
    page = signed_in(cast.operator).get(reverse("directory:units")).content.decode()
    assert "政府部门" in page and cast.unit.name in page
    ended = page.split("已撤销和已合并的单位")[1]
    assert cast.other_unit.name in ended and "已撤销" in ended


def test_the_operator_registers_a_unit_through_the_form(signed_in, cast):
    category = UnitCategory.objects.get(code="xiangzhen")
    response = signed_in(cast.operator).post(reverse("directory:unit-add"), {
        "name": "鹤山区城关镇人民政府", "short_name": "城关镇", "code": "TWN001", "category": category.pk,
        "sort_order": 1, "credit_code": "", "document_prefix": "城政", "description": ""})
    unit = Unit.objects.get(code="TWN001")
    assert response["Location"] == reverse("directory:unit", kwargs={"unit_pk": unit.pk})


def test_the_register_form_shows_the_credit_code_error_next_to_the_field(signed_in, cast):
    category = UnitCategory.objects.get(code="zhengfu")
    response = signed_in(cast.operator).post(reverse("directory:unit-add"), {
        "name": "鹤山区水务局", "code": "AGR001", "category": category.pk, "sort_order": 0,
        "credit_code": "11440300MB2C53104A"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "校验码错误，应为 M" in page and "单位编码 AGR001 已被" in page
    assert 'id="id_credit_code-errors"' in page
    assert not Unit.objects.filter(name="鹤山区水务局").exists()


def test_the_operator_renames_a_unit_and_sees_its_former_name(signed_in, cast):
    client = signed_in(cast.operator)
    client.post(reverse("directory:unit-rename", kwargs={"unit_pk": cast.unit.pk}),
                {"name": "鹤山区农业局", "short_name": "农业局", "note": "来函"})
    page = client.get(reverse("directory:unit", kwargs={"unit_pk": cast.unit.pk})).content.decode()
    assert "由“鹤山区农业农村局”更名为“鹤山区农业局”" in page


def test_the_operator_dissolves_a_unit_only_with_a_note_on_its_documents(signed_in, cast):
    client = signed_in(cast.operator)
    url = reverse("directory:unit-dissolve", kwargs={"unit_pk": cast.other_unit.pk})
    response = client.post(url, {"end_note": "", "confirm": "on"})
    assert response.status_code == 400
    assert Unit.objects.get(pk=cast.other_unit.pk).is_active
    client.post(url, {"end_note": "文件移交区档案馆", "confirm": "on"})
    assert Unit.objects.get(pk=cast.other_unit.pk).status == Unit.Status.DISSOLVED
    assert User.objects.get(pk=cast.outsider.pk).status == User.Status.LEFT


def test_the_operator_merges_two_units_into_a_new_one_through_the_form(signed_in, cast):
    category = UnitCategory.objects.get(code="zhengfu")
    response = signed_in(cast.operator).post(reverse("directory:unit-merge"), {
        "units": [cast.unit.pk, cast.other_unit.pk], "mode": "new", "new_name": "鹤山区农业财政局",
        "new_code": "NEW001", "new_category": category.pk, "end_note": "文件由新单位承接"})
    target = Unit.objects.get(code="NEW001")
    assert response["Location"] == reverse("directory:unit", kwargs={"unit_pk": target.pk})
    assert Unit.objects.get(pk=cast.unit.pk).successor == target


def test_a_merge_under_a_new_name_shows_a_duplicate_code_next_to_the_new_code(signed_in, cast):
    category = UnitCategory.objects.get(code="zhengfu")
    response = signed_in(cast.operator).post(reverse("directory:unit-merge"), {
        "units": [cast.unit.pk, cast.other_unit.pk], "mode": "new", "new_name": "鹤山区农业财政局",
        "new_code": "AGR001", "new_category": category.pk, "end_note": "x"})
    assert response.status_code == 400
    assert "已被" in str(response.context["form"].errors["new_code"])
    assert Unit.objects.get(pk=cast.other_unit.pk).is_active


def test_the_operator_adds_and_reorders_categories(signed_in, cast):
    client = signed_in(cast.operator)
    client.post(reverse("directory:category-add"), {"name": "开发区", "code": ""})
    category = UnitCategory.objects.get(name="开发区")
    client.post(reverse("directory:category-move", kwargs={"pk": category.pk}), {"direction": "up"})
    assert list(UnitCategory.objects.all())[-2] == category


def test_the_people_list_searches_by_pinyin_initials(signed_in, cast):
    client = signed_in(cast.admin)
    response = client.get(reverse("directory:people", kwargs={"unit_pk": cast.unit.pk}), {"q": "sfy"})
    names = [post.user.name for post in response.context["page"]]
    assert names == ["收发员乙"]


def test_the_people_list_filters_by_department_and_status(signed_in, cast):
    client = signed_in(cast.admin)
    url = reverse("directory:people", kwargs={"unit_pk": cast.unit.pk})
    in_office = {post.user for post in client.get(url, {"department": cast.office.pk}).context["page"]}
    assert cast.clerk in in_office and cast.leader not in in_office
    services.set_person_status(actor=cast.admin, unit=cast.unit, user=cast.clerk, status=User.Status.LOCKED)
    locked = [post.user for post in client.get(url, {"status": "locked"}).context["page"]]
    assert locked == [cast.clerk]


def test_the_people_search_answers_htmx_with_the_table_only(signed_in, cast):
    response = signed_in(cast.admin).get(reverse("directory:people", kwargs={"unit_pk": cast.unit.pk}),
                                         {"q": "ju"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "局长丁" in page and "<html" not in page


def test_the_username_suggestion_follows_the_name_unless_typed_by_hand(signed_in, cast):
    client = signed_in(cast.admin)
    url = reverse("directory:suggest-username", kwargs={"unit_pk": cast.unit.pk})
    assert 'value="zhangsan"' in client.get(url, {"name": "张三"}).content.decode()
    own = client.get(url, {"name": "张三", "username": "zs2026", "suggested": "zhangsan"}).content.decode()
    assert 'value="zs2026"' in own
    bad = client.get(url, {"name": "张𠀾"}).content.decode()
    assert "请手工填写用户名" in bad


def test_adding_a_person_shows_the_one_time_password_once(signed_in, cast):
    client = signed_in(cast.admin)
    response = client.post(reverse("directory:person-add", kwargs={"unit_pk": cast.unit.pk}), {
        "name": "张三", "username": "", "department": cast.office.pk, "sort_order": 100, "roles": [roles.DRAFTER]})
    user = User.objects.get(username="zhangsan")
    assert set(RoleAssignment.objects.filter(user=user).values_list("role__code", flat=True)) == {roles.DRAFTER}
    url = reverse("directory:person-password", kwargs={"unit_pk": cast.unit.pk, "pk": user.pk})
    assert response["Location"] == url
    first = client.get(url)
    password = first.context["password"]
    assert user.check_password(password) and password in first.content.decode()
    assert "no-store" in first["Cache-Control"]
    assert ONE_TIME_KEY not in client.session
    second = client.get(url)
    assert second.status_code == 410 and password not in second.content.decode()


def test_adding_a_person_with_a_bad_mobile_shows_the_error_and_writes_nothing(signed_in, cast):
    response = signed_in(cast.admin).post(reverse("directory:person-add", kwargs={"unit_pk": cast.unit.pk}), {
        "name": "李四", "username": "", "mobile": "1234", "sort_order": 100})
    assert response.status_code == 400
    assert "11 位手机号码" in response.content.decode()
    assert not User.objects.filter(name="李四").exists()


def test_a_person_is_edited_locked_and_given_roles(signed_in, cast):
    client = signed_in(cast.admin)
    kwargs = {"unit_pk": cast.unit.pk, "pk": cast.clerk.pk}
    client.post(reverse("directory:person", kwargs=kwargs), {
        "name": "收发员乙", "mobile": "13900001111", "email": "", "department": cast.office.pk, "title": "主任科员",
        "office_phone": "", "sort_order": 10, "leader_order": ""})
    assert Membership.objects.get(user=cast.clerk, unit=cast.unit).title == "主任科员"
    client.post(reverse("directory:person-roles", kwargs=kwargs), {"roles": [roles.CLERK, roles.HANDLER]})
    assert set(RoleAssignment.objects.filter(user=cast.clerk, unit=cast.unit)
               .values_list("role__code", flat=True)) == {roles.CLERK, roles.HANDLER}
    client.post(reverse("directory:person-status", kwargs=kwargs), {"status": "locked"})
    assert User.objects.get(pk=cast.clerk.pk).status == User.Status.LOCKED


def test_reset_password_shows_the_new_password_once(signed_in, cast):
    client = signed_in(cast.admin)
    kwargs = {"unit_pk": cast.unit.pk, "pk": cast.clerk.pk}
    response = client.post(reverse("directory:person-reset-password", kwargs=kwargs))
    page = client.get(response["Location"])
    assert User.objects.get(pk=cast.clerk.pk).check_password(page.context["password"])


def test_a_person_of_another_unit_is_added_by_username_and_keeps_one_account(signed_in, cast):
    client = signed_in(cast.admin)
    client.post(reverse("directory:person-add-existing", kwargs={"unit_pk": cast.unit.pk}),
                {"username": cast.outsider.username, "department": "", "title": "挂职"})
    assert Membership.objects.get(user=cast.outsider, unit=cast.unit).title == "挂职"
    assert User.objects.filter(name=cast.outsider.name).count() == 1
    missing = client.post(reverse("directory:person-add-existing", kwargs={"unit_pk": cast.unit.pk}),
                          {"username": "nobody", "department": "", "title": ""})
    assert missing.status_code == 400 and "没有用户名为 nobody 的帐号" in missing.content.decode()


def test_departments_are_added_moved_and_deleted_only_when_empty(signed_in, cast):
    client = signed_in(cast.admin)
    client.post(reverse("directory:department-add", kwargs={"unit_pk": cast.unit.pk}),
                {"name": "综合股", "parent": cast.office.pk, "phone": ""})
    section = Department.objects.get(name="综合股")
    assert section.parent == cast.office
    response = client.post(reverse("directory:department-edit", kwargs={"unit_pk": cast.unit.pk, "pk": cast.office.pk}),
                           {"name": "办公室", "parent": section.pk, "phone": ""})
    assert response.status_code == 400  # its own sub-department is not offered
    response = client.post(reverse("directory:department-delete",
                                   kwargs={"unit_pk": cast.unit.pk, "pk": cast.office.pk}), follow=True)
    assert "仍有下级科室" in response.content.decode()
    assert Department.objects.filter(pk=cast.office.pk).exists()


def test_user_groups_are_created_and_given_members(signed_in, cast):
    client = signed_in(cast.admin)
    client.post(reverse("directory:group-add", kwargs={"unit_pk": cast.unit.pk}), {"name": "部门领导", "description": ""})
    group = UserGroup.objects.get(unit=cast.unit, name="部门领导")
    client.post(reverse("directory:group", kwargs={"unit_pk": cast.unit.pk, "pk": group.pk}),
                {"part": "members", "members": [cast.leader.pk]})
    assert list(group.members.all()) == [cast.leader]


@pytest.mark.parametrize("name", ["units", "unit-add", "unit-merge", "categories", "category-add"])
def test_operator_pages_render(signed_in, cast, name):
    assert signed_in(cast.operator).get(reverse(f"directory:{name}")).status_code == 200


@pytest.mark.parametrize("name", ["people", "person-add", "person-add-existing", "departments", "department-add",
                                  "roles", "groups", "group-add"])
def test_unit_admin_pages_render(signed_in, cast, name):
    assert signed_in(cast.admin).get(reverse(f"directory:{name}", kwargs={"unit_pk": cast.unit.pk})).status_code == 200


def test_person_unit_and_group_pages_render(signed_in, cast):
    group = services.create_group(actor=cast.admin, unit=cast.unit, name="办公室")
    admin = signed_in(cast.admin)
    assert admin.get(reverse("directory:person", kwargs={"unit_pk": cast.unit.pk, "pk": cast.clerk.pk})).status_code == 200
    assert admin.get(reverse("directory:group", kwargs={"unit_pk": cast.unit.pk, "pk": group.pk})).status_code == 200
    operator = signed_in(cast.operator)
    for name in ("unit", "unit-edit", "unit-rename", "unit-dissolve"):
        assert operator.get(reverse(f"directory:{name}", kwargs={"unit_pk": cast.unit.pk})).status_code == 200
