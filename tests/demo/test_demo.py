"""The demo district (`zhengtong demo`): built through the real services, signed in to, never loaded twice.

The district is loaded once for the whole module inside a transaction that is rolled back at the end;
each test runs in a savepoint of it, so tests cannot disturb each other or the rest of the suite.
"""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from zhengtong.demo import data
from zhengtong.demo.services import _plan_posts, organisation_code
from zhengtong.directory import roles
from zhengtong.directory.pinyin import name_to_pinyin
from zhengtong.directory.validators import MOBILE_RE, validate_credit_code

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Run `demo` once for the module; yield what it printed."""
    from zhengtong.directory.defaults import load_defaults
    from zhengtong.directory.models import Role, UnitCategory

    out = io.StringIO()
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            load_defaults(Role, UnitCategory)  # a transactional test elsewhere may have flushed them
            call_command("demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def _counts() -> dict[str, int]:
    from zhengtong.audit.models import AuditRecord
    from zhengtong.directory.models import Department, Membership, RoleAssignment, Unit, User

    return {model.__name__: model.objects.count()
            for model in (Unit, Department, User, Membership, RoleAssignment, AuditRecord)}


def test_about_forty_units_across_the_categories_each_with_an_office_and_sections(demo):
    from zhengtong.directory.models import Unit

    units = list(Unit.objects.prefetch_related("departments"))
    assert len(units) >= 35
    assert len({unit.category_id for unit in units}) >= 5
    assert len({unit.code for unit in units}) == len(units)
    for unit in units:
        assert unit.short_name and unit.document_prefix, unit.name
        assert re.fullmatch(r"4403\d{3}", unit.code), unit.code
        assert 4 <= unit.departments.count() <= 7, unit.name
    finance = Unit.objects.get(name="鹤山区财政局")
    assert finance.document_prefix == "鹤财"
    assert {"办公室", "预算科", "国库科", "综合科"} <= set(finance.departments.values_list("name", flat=True))
    assert Unit.objects.get(name=data.OPERATOR_UNIT).departments.filter(name="政务信息中心").exists()
    assert Unit.objects.filter(category__code="xiangzhen").count() >= 8


def test_every_unit_has_a_valid_unique_credit_code(demo):
    from zhengtong.directory.models import Unit

    codes = list(Unit.objects.values_list("credit_code", flat=True))
    for code in codes:
        validate_credit_code(code)  # raises on a wrong check character
        assert code.startswith(("11440307", "12440307")), code
    assert len(set(codes)) == len(codes)


def test_organisation_code_check_character_follows_gb_11714():
    assert organisation_code("12345678") == "123456788"
    assert organisation_code("40000000") == "40000000X"  # remainder 10 is written X
    assert organisation_code("00000000") == "000000000"


def test_about_300_people_with_pinyin_usernames_and_valid_mobiles(demo):
    from zhengtong.directory.models import User

    people = list(User.objects.all())
    assert len(people) >= 250
    for person in people:
        assert re.fullmatch(rf"{name_to_pinyin(person.name)}(\d\d)?", person.username), person
        assert MOBILE_RE.match(person.mobile), person
    assert len({person.mobile for person in people}) == len(people)


def test_every_role_is_held_by_somebody_and_every_unit_can_run_its_documents(demo):
    from zhengtong.directory.models import RoleAssignment, Unit

    held = set(RoleAssignment.objects.values_list("role__code", flat=True))
    assert held == {code for code, *_ in roles.DEFAULT_ROLES}
    needed = {roles.PRINCIPAL_LEADER, roles.CHECKER, roles.CLERK, roles.UNIT_ADMIN, roles.SECTION_CHIEF,
              roles.DRAFTER, roles.SEAL_KEEPER, roles.INFO_OFFICER}
    for unit in Unit.objects.all():
        assert needed <= set(unit.role_assignments.values_list("role__code", flat=True)), unit.name
    reviewing_units = set(RoleAssignment.objects.filter(role__code=roles.CONTENT_REVIEWER)
                          .values_list("unit__short_name", flat=True))
    assert reviewing_units == {"区委宣传部", "区保密局", "区司法局", "区政府办"}


def test_leaders_are_ordered(demo):
    from zhengtong.directory.models import Membership

    leaders = (Membership.objects.filter(unit__name=data.DEMO_UNIT, leader_order__isnull=False)
               .order_by("leader_order"))
    assert [m.title for m in leaders][:2] == ["局长", "副局长"]
    assert leaders[0].user.name == "高建国"


def test_people_with_the_same_name_get_numbered_usernames(demo):
    from zhengtong.directory.models import User

    assert sorted(User.objects.filter(name=data.DUPLICATE_NAME).values_list("username", flat=True)) == [
        "zhangwei", "zhangwei01"]


def test_surnames_with_a_special_reading_take_it(demo):
    from zhengtong.directory.models import User

    for name, username, _unit, _department in data.SPECIAL_READINGS:
        assert User.objects.get(name=name).username == username


def test_a_few_people_serve_in_two_units(demo):
    from django.db.models import Count

    from zhengtong.directory.models import Membership, User

    two_posts = User.objects.annotate(posts=Count("memberships")).filter(posts=2)
    assert two_posts.count() == len(data.CONCURRENT_POSTS)
    second = Membership.objects.get(user__username="sunlixin", unit__name="鹤山区城乡一体化办公室")
    assert not second.is_primary
    assert second.user.role_assignments.filter(unit=second.unit, role__code=roles.DEPUTY_LEADER).exists()


def test_demo_accounts_hold_exactly_their_role_and_their_name_is_their_username(demo):
    from zhengtong.directory.models import User

    assert {account.role for account in data.DEMO_ACCOUNTS} == {code for code, *_ in roles.DEFAULT_ROLES}
    for account in data.DEMO_ACCOUNTS:
        assert name_to_pinyin(account.name) == account.username
        user = User.objects.get(username=account.username)
        assert user.name == account.name
        assert set(user.role_assignments.filter(unit__name=account.unit)
                   .values_list("role__code", flat=True)) == {account.role}
        post = user.memberships.get(unit__name=account.unit)
        assert (post.department.name if post.department else "") == account.department
        assert not user.must_change_password and user.password_changed_at is not None


def test_every_demo_account_signs_in_with_the_demo_password(demo):
    for account in data.DEMO_ACCOUNTS:
        client = Client()
        response = client.post(reverse("accounts:sign-in"),
                               {"username": account.username, "password": data.DEMO_PASSWORD})
        assert response.status_code == 302, account.username
        assert response["Location"] == reverse("office:home") == "/office/"
    assert client.get("/office/").status_code == 200


def test_other_people_have_no_usable_password_until_their_admin_resets_it(demo):
    from zhengtong.directory.models import User

    others = User.objects.exclude(username__in=[a.username for a in data.DEMO_ACCOUNTS])
    assert others.exists()
    assert not any(person.has_usable_password() for person in others)
    assert all(person.must_change_password for person in others)
    response = Client().post(reverse("accounts:sign-in"),
                             {"username": others.first().username, "password": data.DEMO_PASSWORD})
    assert response.status_code == 400


def test_the_demo_accounts_are_printed_in_chinese_and_written_to_the_data_directory(demo):
    written = (Path(settings.DATA_DIR) / "demo-accounts.txt").read_text(encoding="utf-8")
    for text in (demo, written):
        assert data.DEMO_PASSWORD in text
        assert "演示账号" in text
        for account in data.DEMO_ACCOUNTS:
            assert account.username in text and account.name in text and account.role_name in text
    assert "已加载演示区县鹤山区" in demo and "姓名" in demo


def test_if_empty_does_nothing_the_second_time(demo):
    before = _counts()
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "未加载演示数据" in out.getvalue()
    assert "Demo@2026zt" in out.getvalue()  # the accounts are shown again, for `make run`
    assert _counts() == before


def test_a_second_run_refuses_in_chinese_and_changes_nothing(demo):
    before = _counts()
    with pytest.raises(CommandError, match="演示数据只能加载到空的组织机构中"):
        call_command("demo", stdout=io.StringIO())
    assert _counts() == before


def test_the_seed_makes_the_people_reproducible():
    names = [post.name for post in _plan_posts(random.Random(7))]
    assert names == [post.name for post in _plan_posts(random.Random(7))]
    assert names != [post.name for post in _plan_posts(random.Random(8))]
    demo_names = {account.name for account in data.DEMO_ACCOUNTS}
    assert demo_names <= set(names)
