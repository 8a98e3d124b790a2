"""A unit admin's services: people, posts, roles, departments and user groups (seed 004 part 八)."""

import pytest
from django.core.exceptions import ValidationError

from zhengtong.audit.models import AuditRecord
from zhengtong.directory import roles, services
from zhengtong.directory.exceptions import DirectoryPermissionDenied
from zhengtong.directory.models import Department, Membership, RoleAssignment, User, UserGroup


def test_create_person_takes_the_pinyin_username_and_a_random_one_time_password(cast):
    user, password = services.create_person(actor=cast.admin, unit=cast.unit, name="张三", department=cast.office)
    assert user.username == "zhangsan" and user.initials == "zs"
    assert user.must_change_password and user.check_password(password)
    second, other_password = services.create_person(actor=cast.admin, unit=cast.unit, name="张三")
    assert second.username == "zhangsan01" and other_password != password
    assert AuditRecord.objects.filter(action="directory.person.create", object_id=str(user.pk)).exists()


def test_a_name_without_pinyin_asks_for_a_username_in_chinese(cast):
    with pytest.raises(ValidationError) as caught:
        services.create_person(actor=cast.admin, unit=cast.unit, name="张𠀾")
    assert "请手工填写用户名" in " ".join(caught.value.message_dict["username"])
    assert not User.objects.filter(name="张𠀾").exists()
    user, _password = services.create_person(actor=cast.admin, unit=cast.unit, name="张𠀾", username="zhangqiu")
    assert user.username == "zhangqiu"


def test_a_bad_mobile_number_is_refused_and_nothing_is_written(cast):
    with pytest.raises(ValidationError) as caught:
        services.create_person(actor=cast.admin, unit=cast.unit, name="李四", mobile="12345")
    assert "11 位手机号码" in " ".join(caught.value.message_dict["mobile"])
    assert not User.objects.filter(name="李四").exists()


def test_a_duplicate_username_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        services.create_person(actor=cast.admin, unit=cast.unit, name="李四", username=cast.clerk.username)
    assert "已被使用" in " ".join(caught.value.message_dict["username"])
    assert not User.objects.filter(name="李四").exists()


def test_an_unknown_role_is_refused_and_the_new_account_is_not_kept(cast):
    with pytest.raises(ValidationError) as caught:
        services.create_person(actor=cast.admin, unit=cast.unit, name="李四", role_codes=["no_such_role"])
    assert "未知角色" in " ".join(caught.value.messages)
    assert not User.objects.filter(name="李四").exists()


def test_a_unit_admin_cannot_give_a_platform_role(cast):
    with pytest.raises(DirectoryPermissionDenied):
        services.set_roles(actor=cast.admin, user=cast.clerk, unit=cast.unit,
                           role_codes=[roles.CLERK, roles.PLATFORM_OPERATOR])
    assert set(RoleAssignment.objects.filter(user=cast.clerk).values_list("role__code", flat=True)) == {roles.CLERK}


def test_a_unit_admin_cannot_give_roles_in_another_unit(cast):
    with pytest.raises(DirectoryPermissionDenied):
        services.set_roles(actor=cast.admin, user=cast.outsider, unit=cast.other_unit, role_codes=[roles.DRAFTER])
    assert not RoleAssignment.objects.filter(user=cast.outsider, role__code=roles.DRAFTER).exists()


def test_a_unit_admin_cannot_take_away_their_own_admin_role(cast):
    with pytest.raises(ValidationError):
        services.set_roles(actor=cast.admin, user=cast.admin, unit=cast.unit, role_codes=[])
    assert RoleAssignment.objects.filter(user=cast.admin, role__code=roles.UNIT_ADMIN).exists()


def test_update_person_changes_account_and_post_and_audits(cast):
    services.update_person(actor=cast.admin, unit=cast.unit, user=cast.clerk, name="收发员乙", mobile="13812345678",
                           department=None, title="副主任科员", sort_order=5, leader_order=None)
    post = Membership.objects.get(user=cast.clerk, unit=cast.unit)
    assert (post.title, post.sort_order, post.department) == ("副主任科员", 5, None)
    assert User.objects.get(pk=cast.clerk.pk).mobile == "13812345678"
    record = AuditRecord.objects.filter(action="directory.person.update").first()
    assert record.changes["title"] == ["科员", "副主任科员"]


def test_update_person_refuses_a_bad_mobile(cast):
    with pytest.raises(ValidationError) as caught:
        services.update_person(actor=cast.admin, unit=cast.unit, user=cast.clerk, name="收发员乙", mobile="1381234")
    assert "mobile" in caught.value.message_dict
    assert User.objects.get(pk=cast.clerk.pk).mobile == ""


def test_a_second_unit_may_change_the_post_but_not_the_account(cast):
    services.add_membership(actor=cast.outsider, user=cast.clerk, unit=cast.other_unit)
    with pytest.raises(DirectoryPermissionDenied):
        services.update_person(actor=cast.outsider, unit=cast.other_unit, user=cast.clerk, name="改名")
    services.update_person(actor=cast.outsider, unit=cast.other_unit, user=cast.clerk, name=cast.clerk.name,
                           title="兼职收发员")
    assert Membership.objects.get(user=cast.clerk, unit=cast.other_unit).title == "兼职收发员"
    assert User.objects.get(pk=cast.clerk.pk).name == "收发员乙"


def test_locking_ends_the_persons_sessions(cast):
    generation = cast.clerk.session_generation
    services.set_person_status(actor=cast.admin, unit=cast.unit, user=cast.clerk, status=User.Status.LOCKED)
    clerk = User.objects.get(pk=cast.clerk.pk)
    assert clerk.status == User.Status.LOCKED and clerk.session_generation == generation + 1
    services.set_person_status(actor=cast.admin, unit=cast.unit, user=cast.clerk, status=User.Status.ACTIVE)
    assert User.objects.get(pk=cast.clerk.pk).status == User.Status.ACTIVE


def test_left_ends_the_post_and_disables_an_account_without_another_post(cast):
    group = services.create_group(actor=cast.admin, unit=cast.unit, name="办公室")
    services.set_group_members(actor=cast.admin, group=group, members=[cast.clerk])
    services.set_person_status(actor=cast.admin, unit=cast.unit, user=cast.clerk, status=User.Status.LEFT)
    clerk = User.objects.get(pk=cast.clerk.pk)
    assert clerk.status == User.Status.LEFT and not clerk.is_active
    assert not Membership.objects.get(user=clerk, unit=cast.unit).is_active
    assert not RoleAssignment.objects.filter(user=clerk, unit=cast.unit).exists()
    assert not group.members.filter(pk=clerk.pk).exists()


def test_left_in_one_unit_keeps_the_account_of_a_person_with_another_post(cast):
    services.add_membership(actor=cast.outsider, user=cast.clerk, unit=cast.other_unit)
    services.set_person_status(actor=cast.admin, unit=cast.unit, user=cast.clerk, status=User.Status.LEFT)
    assert User.objects.get(pk=cast.clerk.pk).status == User.Status.ACTIVE
    assert Membership.objects.get(user=cast.clerk, unit=cast.other_unit).is_primary


def test_an_admin_cannot_change_their_own_status(cast):
    with pytest.raises(ValidationError):
        services.set_person_status(actor=cast.admin, unit=cast.unit, user=cast.admin, status=User.Status.LOCKED)
    assert User.objects.get(pk=cast.admin.pk).status == User.Status.ACTIVE


def test_the_admin_of_a_unit_the_person_left_cannot_reset_their_password(cast):
    services.add_membership(actor=cast.outsider, user=cast.clerk, unit=cast.other_unit)
    services.remove_membership(actor=cast.outsider, unit=cast.other_unit, user=cast.clerk)
    with pytest.raises(DirectoryPermissionDenied):
        services.reset_password(actor=cast.outsider, user=cast.clerk, unit=cast.other_unit)
    assert User.objects.get(pk=cast.clerk.pk).check_password(cast.password)


def test_reset_password_gives_a_new_one_time_password_and_ends_sessions(cast):
    generation = cast.clerk.session_generation
    password = services.reset_password(actor=cast.admin, user=cast.clerk, unit=cast.unit)
    clerk = User.objects.get(pk=cast.clerk.pk)
    assert clerk.check_password(password) and clerk.must_change_password
    assert clerk.session_generation == generation + 1


def test_one_person_two_posts_and_removing_one_keeps_the_account(cast):
    post = services.add_membership(actor=cast.outsider, user=cast.clerk, unit=cast.other_unit, title="兼职")
    assert not post.is_primary
    with pytest.raises(ValidationError):
        services.add_membership(actor=cast.outsider, user=cast.clerk, unit=cast.other_unit)
    services.remove_membership(actor=cast.outsider, unit=cast.other_unit, user=cast.clerk)
    assert not Membership.objects.get(pk=post.pk).is_active
    with pytest.raises(ValidationError):  # the only post left: "left" is the way
        services.remove_membership(actor=cast.admin, unit=cast.unit, user=cast.clerk)
    assert Membership.objects.get(user=cast.clerk, unit=cast.unit).is_active


def test_departments_form_a_tree_without_cycles(cast):
    section = services.create_department(actor=cast.admin, unit=cast.unit, name="综合股", parent=cast.office)
    with pytest.raises(ValidationError) as caught:
        services.move_department(actor=cast.admin, department=cast.office, parent=section)
    assert "parent" in caught.value.message_dict
    assert Department.objects.get(pk=cast.office.pk).parent is None
    with pytest.raises(ValidationError) as caught:
        services.create_department(actor=cast.admin, unit=cast.unit, name="办公室")
    assert "name" in caught.value.message_dict


def test_a_department_is_deleted_only_when_empty(cast):
    with pytest.raises(ValidationError) as caught:
        services.delete_department(actor=cast.admin, department=cast.office)
    assert "仍有" in " ".join(caught.value.messages)
    assert Department.objects.filter(pk=cast.office.pk).exists()
    empty = services.create_department(actor=cast.admin, unit=cast.unit, name="法规股")
    services.delete_department(actor=cast.admin, department=empty)
    assert not Department.objects.filter(pk=empty.pk).exists()


def test_departments_are_reordered_among_siblings(cast):
    second = services.create_department(actor=cast.admin, unit=cast.unit, name="计财股")
    services.reorder_department(actor=cast.admin, department=second, direction="up")
    assert list(Department.objects.filter(unit=cast.unit, parent=None)) == [second, cast.office]


def test_a_department_of_another_unit_cannot_be_changed(cast):
    with pytest.raises(DirectoryPermissionDenied):
        services.update_department(actor=cast.outsider, department=cast.office, name="改名")
    assert Department.objects.get(pk=cast.office.pk).name == "办公室"


def test_group_members_must_serve_in_the_unit(cast):
    group = services.create_group(actor=cast.admin, unit=cast.unit, name="部门领导")
    with pytest.raises(ValidationError):
        services.set_group_members(actor=cast.admin, group=group, members=[cast.leader, cast.outsider])
    assert not group.members.exists()
    services.set_group_members(actor=cast.admin, group=group, members=[cast.leader])
    assert list(group.members.all()) == [cast.leader]
    with pytest.raises(DirectoryPermissionDenied):
        services.set_group_members(actor=cast.outsider, group=group, members=[])
    assert list(UserGroup.objects.get(pk=group.pk).members.all()) == [cast.leader]


def test_a_password_reset_does_not_let_the_old_password_back_in(cast):
    from django.contrib.auth import password_validation

    services.reset_password(actor=cast.admin, user=cast.clerk, unit=cast.unit)
    cast.clerk.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        password_validation.validate_password(cast.password, cast.clerk)
    assert any("最近" in message or "近期" in message or "曾" in message for message in excinfo.value.messages), \
        excinfo.value.messages
