"""The address book (通讯录): organisation tree, people lists, live search, person cards."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengtong.directory import services as directory
from zhengtong.directory.models import Membership, Unit, User

URL = "/office/address-book/"


@pytest.fixture
def people(cast):
    """张三 and 张珊 in the 农业局, 李四 in the 财政局, with mobiles; a leader with a leader order."""
    zhangsan, _ = directory.create_person(actor=cast.admin, unit=cast.unit, name="张三", mobile="13800001111",
                                          department=cast.office, title="科员")
    zhangshan, _ = directory.create_person(actor=cast.admin, unit=cast.unit, name="张珊", mobile="13900002222")
    lisi, _ = directory.create_person(actor=cast.outsider, unit=cast.other_unit, name="李四",
                                      mobile="13700003333", email="lisi@example.gov.cn")
    Membership.objects.filter(user=cast.leader, unit=cast.unit).update(leader_order=1)
    return {"zhangsan": zhangsan, "zhangshan": zhangshan, "lisi": lisi}


def search(client, query, **extra):
    return client.get(URL, {"q": query}, **extra)


def names_in(response) -> list[str]:
    return [post.user.name for post in response.context["results"]]


def test_the_address_book_requires_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]
    assert client.get(reverse("office:address-book-person", args=[1])).status_code == 302


def test_search_by_chinese_name_across_every_unit(signed_in, cast, people):
    response = search(signed_in(cast.clerk), "张")
    assert sorted(names_in(response)) == ["张三", "张珊"]
    assert names_in(search(signed_in(cast.clerk), "李四")) == ["李四"]  # another unit's person too


def test_search_by_pinyin_initials(signed_in, cast, people):
    client = signed_in(cast.clerk)
    assert sorted(names_in(search(client, "zs"))) == ["张三", "张珊"]
    assert names_in(search(client, "ZS")) == names_in(search(client, "zs"))
    assert names_in(search(client, "ls")) == ["李四"]


def test_search_by_username(signed_in, cast, people):
    client = signed_in(cast.clerk)
    assert names_in(search(client, "zhangsan")) == ["张三"]
    assert names_in(search(client, "zhangshan")) == ["张珊"]


def test_search_by_mobile_prefix(signed_in, cast, people):
    assert names_in(search(signed_in(cast.clerk), "1390000")) == ["张珊"]


def test_search_shows_mobile_numbers_to_a_signed_in_civil_servant(signed_in, cast, people):
    page = search(signed_in(cast.outsider), "zs").content.decode()
    assert "13800001111" in page and 'href="tel:13800001111"' in page


def test_people_who_have_left_are_not_found(signed_in, cast, people):
    User.objects.filter(pk=people["zhangsan"].pk).update(status=User.Status.LEFT)
    Membership.objects.filter(user=people["zhangshan"]).update(is_active=False)
    client = signed_in(cast.clerk)
    assert names_in(search(client, "zs")) == []
    assert "没有找到匹配的人员" in search(client, "zs").content.decode()
    assert "张三" not in names_in(client.get(URL, {"unit": cast.unit.pk}))
    assert client.get(reverse("office:address-book-person", args=[people["zhangsan"].pk])).status_code == 404


def test_a_locked_account_is_still_listed(signed_in, cast, people):
    User.objects.filter(pk=people["zhangsan"].pk).update(status=User.Status.LOCKED)
    assert "张三" in names_in(search(signed_in(cast.clerk), "zs"))


def test_a_dissolved_unit_and_its_people_are_not_listed(signed_in, cast, people):
    Unit.objects.filter(pk=cast.other_unit.pk).update(status="dissolved")
    client = signed_in(cast.clerk)
    response = client.get(URL)
    tree_units = [node.unit.pk for category in response.context["tree"] for node in category.units]
    assert cast.other_unit.pk not in tree_units and cast.unit.pk in tree_units
    assert "鹤山区财政局" not in response.content.decode() and "财政局" not in response.content.decode()
    assert names_in(search(client, "李四")) == []
    assert client.get(URL, {"unit": cast.other_unit.pk}).status_code == 404
    assert client.get(reverse("office:address-book-person", args=[people["lisi"].pk])).status_code == 404


def test_the_tree_shows_categories_units_and_departments(signed_in, cast, people):
    response = signed_in(cast.clerk).get(URL)
    page = response.content.decode()
    assert "政府部门" in page and "农业局" in page
    assert f'href="?unit={cast.unit.pk}&amp;department={cast.office.pk}"' in page


def test_a_unit_lists_its_people_leaders_first(signed_in, cast, people):
    response = signed_in(cast.outsider).get(URL, {"unit": cast.unit.pk})
    names = names_in(response)
    assert names[0] == "局长丁"
    assert set(names) == {"局长丁", "管理员甲", "收发员乙", "科长丙", "张三", "张珊"}
    assert "李四" not in names


def test_without_a_choice_the_current_unit_is_shown(signed_in, cast, people):
    response = signed_in(cast.clerk).get(URL)
    assert response.context["unit"] == cast.unit
    assert "张三" in names_in(response)


def test_a_department_lists_its_people_and_those_of_its_sub_departments(signed_in, cast, people):
    sub = directory.create_department(actor=cast.admin, unit=cast.unit, name="文秘科", parent=cast.office)
    directory.create_person(actor=cast.admin, unit=cast.unit, name="王五", department=sub)
    response = signed_in(cast.clerk).get(URL, {"unit": cast.unit.pk, "department": cast.office.pk})
    names = names_in(response)
    assert "王五" in names and "张三" in names and "张珊" not in names


def test_a_department_of_another_unit_is_not_found(signed_in, cast, people):
    response = signed_in(cast.clerk).get(URL, {"unit": cast.other_unit.pk, "department": cast.office.pk})
    assert response.status_code == 404


def test_the_phone_select_chooses_a_unit_or_department(signed_in, cast, people):
    client = signed_in(cast.clerk)
    assert "李四" in names_in(client.get(URL, {"node": f"u{cast.other_unit.pk}"}))
    response = client.get(URL, {"node": f"d{cast.unit.pk}:{cast.office.pk}"})
    assert response.context["department"] == cast.office
    page = client.get(URL).content.decode()
    assert 'id="ab-node"' in page and f'value="d{cast.unit.pk}:{cast.office.pk}"' in page


def test_live_search_returns_only_the_results_fragment(signed_in, cast, people):
    response = search(signed_in(cast.clerk), "zs", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and "张三" in page and "张珊" in page
    assert response["HX-Push-Url"] == f"{URL}?q=zs"


def test_the_search_box_triggers_a_debounced_live_search(signed_in, cast):
    page = signed_in(cast.clerk).get(URL).content.decode()
    assert 'hx-trigger="keyup changed delay:300ms, search"' in page


def test_the_person_card_shows_every_post_and_contact(signed_in, cast, people):
    directory.add_membership(actor=cast.outsider, user=people["zhangsan"], unit=cast.other_unit, title="联络员")
    client = signed_in(cast.clerk)
    card = client.get(reverse("office:address-book-person", args=[people["zhangsan"].pk]),
                      HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in card
    assert "张三" in card and "13800001111" in card and "鹤山区农业农村局" in card and "鹤山区财政局" in card
    page = client.get(reverse("office:address-book-person", args=[people["zhangsan"].pk])).content.decode()
    assert "<html" in page and "联络员" in page


def test_a_bad_unit_number_shows_the_prompt_rather_than_an_error(signed_in, cast):
    response = signed_in(cast.clerk).get(URL, {"unit": "abc"})
    assert response.status_code == 200 and response.context["unit"] is None
    assert "请选择单位或科室，或按姓名查找。" in response.content.decode()


def test_the_pushed_address_keeps_an_explicit_choice(signed_in, cast, people):
    response = signed_in(cast.clerk).get(URL, {"unit": cast.unit.pk, "department": cast.office.pk},
                                         HTTP_HX_REQUEST="true")
    assert response["HX-Push-Url"] == f"{URL}?unit={cast.unit.pk}&department={cast.office.pk}"
