"""Every directory rule from the outsider's side: a missing right is a 404 (or 403) and nothing changes."""

import pytest
from django.urls import reverse

from zhengtong.directory import roles, services
from zhengtong.directory.models import Department, Membership, RoleAssignment, Unit, UnitCategory, User, UserGroup


def _unit_urls(unit, person, department, group):
    u = {"unit_pk": unit.pk}
    return [
        ("get", reverse("directory:people", kwargs=u), {}),
        ("get", reverse("directory:person-add", kwargs=u), {}),
        ("get", reverse("directory:suggest-username", kwargs=u), {"name": "张三"}),
        ("get", reverse("directory:person", kwargs={**u, "pk": person.pk}), {}),
        ("get", reverse("directory:departments", kwargs=u), {}),
        ("get", reverse("directory:roles", kwargs=u), {}),
        ("get", reverse("directory:groups", kwargs=u), {}),
        ("get", reverse("directory:group", kwargs={**u, "pk": group.pk}), {}),
        ("post", reverse("directory:person-add", kwargs=u), {"name": "张三", "sort_order": 100}),
        ("post", reverse("directory:person", kwargs={**u, "pk": person.pk}),
         {"name": "改名", "sort_order": 1, "title": "x"}),
        ("post", reverse("directory:person-roles", kwargs={**u, "pk": person.pk}), {"roles": [roles.UNIT_ADMIN]}),
        ("post", reverse("directory:person-status", kwargs={**u, "pk": person.pk}), {"status": "locked"}),
        ("post", reverse("directory:person-reset-password", kwargs={**u, "pk": person.pk}), {}),
        ("post", reverse("directory:person-remove", kwargs={**u, "pk": person.pk}), {}),
        ("post", reverse("directory:person-add-existing", kwargs=u), {"username": "x"}),
        ("post", reverse("directory:department-add", kwargs=u), {"name": "新科室"}),
        ("post", reverse("directory:department-edit", kwargs={**u, "pk": department.pk}), {"name": "改名"}),
        ("post", reverse("directory:department-move", kwargs={**u, "pk": department.pk}), {"direction": "up"}),
        ("post", reverse("directory:department-delete", kwargs={**u, "pk": department.pk}), {}),
        ("post", reverse("directory:group-add", kwargs=u), {"name": "新组"}),
        ("post", reverse("directory:group", kwargs={**u, "pk": group.pk}), {"part": "details", "name": "改名"}),
        ("post", reverse("directory:group-delete", kwargs={**u, "pk": group.pk}), {}),
    ]


def _state():
    """Everything a directory page could change, to compare before and after."""
    return (
        sorted(User.objects.values_list("username", "name", "status", "session_generation", "password", "mobile")),
        sorted(Membership.objects.values_list("user_id", "unit_id", "department_id", "title", "is_active")),
        sorted(RoleAssignment.objects.values_list("user_id", "unit_id", "role_id")),
        sorted(Department.objects.values_list("id", "name", "parent_id", "sort_order")),
        sorted(UserGroup.objects.values_list("id", "name", "unit_id")),
        sorted(Unit.objects.values_list("id", "name", "status", "code")),
        sorted(UnitCategory.objects.values_list("id", "name", "sort_order")),
    )


def test_a_unit_admin_cannot_see_or_change_another_units_directory(signed_in, cast):
    group = services.create_group(actor=None, unit=cast.unit, name="部门领导")
    client = signed_in(cast.outsider)  # unit admin of the other unit
    before = _state()
    for method, url, data in _unit_urls(cast.unit, cast.clerk, cast.office, group):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    assert _state() == before


def test_a_unit_admin_cannot_reach_a_person_of_another_unit_through_their_own_unit(signed_in, cast):
    client = signed_in(cast.outsider)
    url = reverse("directory:person", kwargs={"unit_pk": cast.other_unit.pk, "pk": cast.clerk.pk})
    assert client.get(url).status_code == 404
    before = _state()
    client.post(reverse("directory:person-reset-password", kwargs={"unit_pk": cast.other_unit.pk, "pk": cast.clerk.pk}))
    dept = reverse("directory:department-edit", kwargs={"unit_pk": cast.other_unit.pk, "pk": cast.office.pk})
    assert client.post(dept, {"name": "改名"}).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("who", ["clerk", "section_chief", "leader"])
def test_people_without_admin_rights_reach_no_management_page(signed_in, cast, who):
    group = services.create_group(actor=None, unit=cast.unit, name="部门领导")
    client = signed_in(getattr(cast, who))
    before = _state()
    assert client.get(reverse("directory:index")).status_code == 404
    for method, url, data in _unit_urls(cast.unit, cast.clerk, cast.office, group):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert _state() == before


def test_a_unit_admin_cannot_give_a_platform_role_through_the_page(signed_in, cast):
    client = signed_in(cast.admin)
    before = _state()
    response = client.post(reverse("directory:person-roles", kwargs={"unit_pk": cast.unit.pk, "pk": cast.clerk.pk}),
                           {"roles": [roles.CLERK, roles.PLATFORM_OPERATOR]})
    assert response.status_code in (400, 403)
    assert _state() == before
    page = client.get(reverse("directory:person", kwargs={"unit_pk": cast.unit.pk, "pk": cast.clerk.pk}))
    assert roles.PLATFORM_OPERATOR not in page.content.decode()


def test_a_unit_admin_cannot_create_a_person_with_a_platform_role(signed_in, cast):
    client = signed_in(cast.admin)
    response = client.post(reverse("directory:person-add", kwargs={"unit_pk": cast.unit.pk}),
                           {"name": "张三", "sort_order": 100, "roles": [roles.PLATFORM_OPERATOR]})
    assert response.status_code == 400
    assert not User.objects.filter(username="zhangsan").exists()


def test_the_operator_sees_and_gives_platform_roles(signed_in, cast):
    client = signed_in(cast.operator)
    page = client.get(reverse("directory:person", kwargs={"unit_pk": cast.unit.pk, "pk": cast.admin.pk}))
    assert roles.PLATFORM_OPERATOR in page.content.decode()
    client.post(reverse("directory:person-roles", kwargs={"unit_pk": cast.unit.pk, "pk": cast.admin.pk}),
                {"roles": [roles.UNIT_ADMIN, roles.PLATFORM_OPERATOR]})
    assert RoleAssignment.objects.filter(user=cast.admin, role__code=roles.PLATFORM_OPERATOR).exists()


def test_unit_admins_keep_a_platform_role_they_cannot_see_when_saving_roles(signed_in, cast):
    services.set_roles(actor=cast.operator, user=cast.clerk, unit=cast.unit,
                       role_codes=[roles.CLERK, roles.PLATFORM_OPERATOR])
    signed_in(cast.admin).post(reverse("directory:person-roles", kwargs={"unit_pk": cast.unit.pk, "pk": cast.clerk.pk}),
                               {"roles": [roles.HANDLER]})
    assert set(RoleAssignment.objects.filter(user=cast.clerk).values_list("role__code", flat=True)) == {
        roles.HANDLER, roles.PLATFORM_OPERATOR}


@pytest.mark.parametrize("who", ["admin", "outsider", "clerk"])
def test_only_the_operator_registers_renames_merges_and_dissolves_units(signed_in, cast, who):
    client = signed_in(getattr(cast, who))
    category = UnitCategory.objects.get(code="zhengfu")
    u = {"unit_pk": cast.unit.pk}
    before = _state()
    attempts = [
        ("get", reverse("directory:units"), {}),
        ("get", reverse("directory:unit", kwargs=u), {}),
        ("get", reverse("directory:categories"), {}),
        ("post", reverse("directory:unit-add"), {"name": "新单位", "code": "NEW1", "category": category.pk,
                                                 "sort_order": 0}),
        ("post", reverse("directory:unit-edit", kwargs=u), {"short_name": "x", "code": "AGR009",
                                                            "category": category.pk, "sort_order": 0}),
        ("post", reverse("directory:unit-rename", kwargs=u), {"name": "鹤山区农业局"}),
        ("post", reverse("directory:unit-merge"), {"units": [cast.unit.pk, cast.other_unit.pk], "mode": "keep",
                                                   "continuing": cast.unit.pk, "end_note": "x"}),
        ("post", reverse("directory:unit-dissolve", kwargs=u), {"end_note": "x", "confirm": "on"}),
        ("post", reverse("directory:category-add"), {"name": "开发区"}),
        ("post", reverse("directory:category-move", kwargs={"pk": category.pk}), {"direction": "up"}),
        ("post", reverse("directory:category-delete", kwargs={"pk": category.pk}), {}),
    ]
    for method, url, data in attempts:
        assert getattr(client, method)(url, data).status_code == 404, url
    assert _state() == before


def test_nobody_can_manage_a_dissolved_unit_not_even_the_operator(signed_in, cast):
    services.dissolve_unit(actor=cast.operator, unit=cast.other_unit, end_note="移交区档案馆")
    client = signed_in(cast.operator)
    before = _state()
    u = {"unit_pk": cast.other_unit.pk}
    assert client.get(reverse("directory:unit", kwargs=u)).status_code == 200  # its record stays visible
    for name in ("people", "person-add", "departments", "groups", "unit-edit", "unit-rename", "unit-dissolve"):
        assert client.get(reverse(f"directory:{name}", kwargs=u)).status_code == 404, name
    assert client.post(reverse("directory:person-add", kwargs=u), {"name": "张三", "sort_order": 1}).status_code == 404
    assert client.post(reverse("directory:unit-rename", kwargs=u), {"name": "新名"}).status_code == 404
    assert _state() == before


def test_a_one_time_password_is_shown_to_nobody_else(signed_in, cast, client):
    admin = signed_in(cast.admin)
    admin.post(reverse("directory:person-add", kwargs={"unit_pk": cast.unit.pk}), {"name": "张三", "sort_order": 100})
    user = User.objects.get(username="zhangsan")
    url = reverse("directory:person-password", kwargs={"unit_pk": cast.unit.pk, "pk": user.pk})
    from django.test import Client

    other = Client()
    other.force_login(cast.outsider, backend="zhengtong.accounts.backends.AccountBackend")
    assert other.get(url).status_code == 404
