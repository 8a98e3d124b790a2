"""The operator's unit services: register, edit, rename, merge, dissolve (seed 001 第八条–第九条)."""

import pytest
from django.core.exceptions import ValidationError

from zhengtong.audit.models import AuditRecord
from zhengtong.directory import roles, services
from zhengtong.directory.exceptions import DirectoryPermissionDenied
from zhengtong.directory.models import Department, Membership, RoleAssignment, Unit, UnitCategory, User, UserGroup
from zhengtong.directory.signals import unit_dissolved


@pytest.fixture
def government(cast):
    return UnitCategory.objects.get(code="zhengfu")


def test_a_credit_code_with_a_wrong_check_character_names_the_right_one(cast, government):
    with pytest.raises(ValidationError) as caught:
        services.register_unit(actor=cast.operator, name="鹤山区水务局", code="WAT001", category=government,
                               credit_code="11440300MB2C53104X")
    assert "应为 M" in " ".join(caught.value.message_dict["credit_code"])
    assert not Unit.objects.filter(code="WAT001").exists()


def test_a_duplicate_unit_code_is_refused_with_the_unit_that_holds_it(cast, government):
    with pytest.raises(ValidationError) as caught:
        services.register_unit(actor=cast.operator, name="鹤山区水务局", code="AGR001", category=government)
    assert cast.unit.name in " ".join(caught.value.message_dict["code"])
    assert not Unit.objects.filter(name="鹤山区水务局").exists()


def test_a_duplicate_credit_code_is_refused(cast, government):
    with pytest.raises(ValidationError) as caught:
        services.register_unit(actor=cast.operator, name="鹤山区水务局", code="WAT001", category=government,
                               credit_code=cast.unit.credit_code)
    assert "credit_code" in caught.value.message_dict


def test_only_the_operator_registers_units(cast, government):
    with pytest.raises(DirectoryPermissionDenied):
        services.register_unit(actor=cast.admin, name="鹤山区水务局", code="WAT001", category=government)
    assert not Unit.objects.filter(code="WAT001").exists()


def test_update_unit_changes_details_and_audits_them(cast, government):
    services.update_unit(actor=cast.operator, unit=cast.unit, short_name="农业农村局", code="AGR009",
                         category=government, credit_code="", sort_order=5, document_prefix="鹤农农")
    cast.unit.refresh_from_db()
    assert (cast.unit.short_name, cast.unit.code, cast.unit.sort_order) == ("农业农村局", "AGR009", 5)
    record = AuditRecord.objects.filter(action="directory.unit.update").first()
    assert record.changes["code"] == ["AGR001", "AGR009"]


def test_update_unit_refuses_a_unit_code_of_another_unit(cast, government):
    with pytest.raises(ValidationError) as caught:
        services.update_unit(actor=cast.operator, unit=cast.unit, short_name="农业局", code="FIN001",
                             category=government)
    assert "code" in caught.value.message_dict
    cast.unit.refresh_from_db()
    assert cast.unit.code == "AGR001"


def test_a_unit_cannot_be_placed_under_its_own_subordinate(cast, government):
    child = services.register_unit(actor=cast.operator, name="鹤山区农业技术推广站", code="AGR101",
                                   category=government, parent=cast.unit)
    with pytest.raises(ValidationError) as caught:
        services.update_unit(actor=cast.operator, unit=cast.unit, short_name="农业局", code="AGR001",
                             category=government, parent=child)
    assert "parent" in caught.value.message_dict


def test_unit_admin_cannot_edit_rename_merge_or_dissolve_units(cast, government):
    with pytest.raises(DirectoryPermissionDenied):
        services.update_unit(actor=cast.admin, unit=cast.unit, short_name="x", code="AGR001", category=government)
    with pytest.raises(DirectoryPermissionDenied):
        services.rename_unit(actor=cast.admin, unit=cast.unit, name="鹤山区农业局")
    with pytest.raises(DirectoryPermissionDenied):
        services.merge_units(actor=cast.admin, units=[cast.unit, cast.other_unit], continuing=cast.unit,
                             end_note="移交")
    with pytest.raises(DirectoryPermissionDenied):
        services.dissolve_unit(actor=cast.admin, unit=cast.unit, end_note="移交档案馆")
    cast.unit.refresh_from_db()
    assert cast.unit.is_active and cast.unit.name == "鹤山区农业农村局"


def test_rename_keeps_the_former_name_in_history_and_audit(cast):
    services.rename_unit(actor=cast.operator, unit=cast.unit, name="鹤山区农业局", short_name="农业局",
                         note="鹤编〔2026〕3号")
    cast.unit.refresh_from_db()
    assert cast.unit.name == "鹤山区农业局"
    change = cast.unit.name_changes.get()
    assert (change.old_name, change.new_name, change.changed_by) == ("鹤山区农业农村局", "鹤山区农业局", cast.operator)
    record = AuditRecord.objects.filter(action="directory.unit.rename").first()
    assert record.changes["name"] == ["鹤山区农业农村局", "鹤山区农业局"]
    assert Membership.objects.filter(unit=cast.unit, user=cast.clerk, is_active=True).exists()


def test_rename_may_not_take_the_name_of_another_active_unit(cast):
    with pytest.raises(ValidationError) as caught:
        services.rename_unit(actor=cast.operator, unit=cast.unit, name=cast.other_unit.name)
    assert "name" in caught.value.message_dict
    cast.unit.refresh_from_db()
    assert cast.unit.name == "鹤山区农业农村局"
    assert not cast.unit.name_changes.exists()


def test_dissolve_disables_accounts_whose_only_post_was_there(cast, django_capture_on_commit_callbacks):
    services.add_membership(actor=None, user=cast.section_chief, unit=cast.other_unit)
    generation = cast.clerk.session_generation
    sent = []
    unit_dissolved.connect(lambda **kw: sent.append(kw), weak=False, dispatch_uid="test-dissolve")
    try:
        with pytest.raises(ValidationError) as caught:
            services.dissolve_unit(actor=cast.operator, unit=cast.unit, end_note="  ")
        assert "end_note" in caught.value.message_dict
        with django_capture_on_commit_callbacks(execute=True):
            services.dissolve_unit(actor=cast.operator, unit=cast.unit, end_note="文件移交区档案馆")
    finally:
        unit_dissolved.disconnect(dispatch_uid="test-dissolve")
    cast.unit.refresh_from_db()
    assert cast.unit.status == Unit.Status.DISSOLVED and cast.unit.ended_at is not None
    assert cast.unit.end_note == "文件移交区档案馆"
    clerk = User.objects.get(pk=cast.clerk.pk)
    assert clerk.status == User.Status.LEFT and clerk.session_generation == generation + 1
    chief = User.objects.get(pk=cast.section_chief.pk)
    assert chief.status == User.Status.ACTIVE  # still serves in the other unit
    assert Membership.objects.get(user=chief, unit=cast.other_unit).is_primary
    assert not Membership.objects.filter(unit=cast.unit, is_active=True).exists()
    assert not RoleAssignment.objects.filter(unit=cast.unit).exists()
    record = AuditRecord.objects.filter(action="directory.unit.dissolve").first()
    assert cast.clerk.username in record.changes["accounts_disabled"]
    assert cast.section_chief.username not in record.changes["accounts_disabled"]
    assert sent and sent[0]["unit"] == cast.unit and sent[0]["reason"] == "dissolved"


def test_nobody_manages_a_dissolved_unit(cast):
    services.dissolve_unit(actor=cast.operator, unit=cast.other_unit, end_note="文件移交区档案馆")
    with pytest.raises(DirectoryPermissionDenied):
        services.create_person(actor=cast.operator, unit=cast.other_unit, name="张三")
    with pytest.raises(ValidationError):
        services.create_department(actor=None, unit=cast.other_unit, name="办公室")
    with pytest.raises(ValidationError):
        services.rename_unit(actor=cast.operator, unit=cast.other_unit, name="新财政局")
    assert not User.objects.filter(username="zhangsan").exists()


def test_the_unit_of_the_platform_operators_cannot_be_dissolved(cast):
    centre = cast.operator.memberships.get().unit
    with pytest.raises(ValidationError):
        services.dissolve_unit(actor=cast.operator, unit=centre, end_note="移交")
    centre.refresh_from_db()
    assert centre.is_active


def test_merge_into_one_of_the_units_moves_people_and_departments(cast):
    other_office = services.create_department(actor=None, unit=cast.other_unit, name="办公室")
    budget = services.create_department(actor=None, unit=cast.other_unit, name="预算科")
    services.update_person(actor=None, unit=cast.other_unit, user=cast.outsider, name=cast.outsider.name,
                           department=budget)
    group = services.create_group(actor=None, unit=cast.other_unit, name="部门领导")
    services.create_group(actor=None, unit=cast.unit, name="部门领导")
    target = services.merge_units(actor=cast.operator, units=[cast.unit, cast.other_unit], continuing=cast.unit,
                                  end_note="财政局文件由农业局承接")
    assert target == cast.unit
    cast.other_unit.refresh_from_db()
    assert cast.other_unit.status == Unit.Status.MERGED and cast.other_unit.successor == cast.unit
    post = Membership.objects.get(user=cast.outsider, is_active=True)
    assert post.unit == cast.unit and post.department == budget
    assert User.objects.get(pk=cast.outsider.pk).status == User.Status.ACTIVE
    other_office.refresh_from_db()
    assert other_office.unit == cast.unit and other_office.name == "办公室（原财政局）"
    assert Department.objects.get(pk=budget.pk).unit == cast.unit
    group.refresh_from_db()
    assert group.unit == cast.unit and group.name != "部门领导"
    assert not RoleAssignment.objects.filter(unit=cast.other_unit).exists()
    assert AuditRecord.objects.filter(action="directory.unit.merge", object_id=str(cast.other_unit.pk)).exists()
    assert AuditRecord.objects.filter(action="directory.unit.merge_into", object_id=str(cast.unit.pk)).exists()


def test_merge_under_a_new_name_registers_a_new_unit_and_ends_all_merged(cast, government):
    target = services.merge_units(
        actor=cast.operator, units=[cast.unit, cast.other_unit], end_note="文件由新单位承接",
        new_unit={"name": "鹤山区农业与财政局", "code": "NEW001", "category": government, "short_name": "农财局"})
    assert target.is_active and target.name == "鹤山区农业与财政局"
    for unit in (cast.unit, cast.other_unit):
        unit.refresh_from_db()
        assert unit.status == Unit.Status.MERGED and unit.successor == target
    assert Membership.objects.filter(unit=target, is_active=True).count() == 5
    assert AuditRecord.objects.filter(action="directory.unit.register", object_id=str(target.pk)).exists()


def test_merge_refuses_a_single_unit_and_a_continuing_unit_outside_the_merge(cast):
    with pytest.raises(ValidationError):
        services.merge_units(actor=cast.operator, units=[cast.unit], continuing=cast.unit, end_note="x")
    centre = cast.operator.memberships.get().unit
    with pytest.raises(ValidationError):
        services.merge_units(actor=cast.operator, units=[cast.unit, cast.other_unit], continuing=centre,
                             end_note="x")
    cast.other_unit.refresh_from_db()
    assert cast.other_unit.is_active


def test_a_person_serving_in_both_merged_units_keeps_one_post(cast):
    services.add_membership(actor=None, user=cast.clerk, unit=cast.other_unit)
    services.merge_units(actor=cast.operator, units=[cast.unit, cast.other_unit], continuing=cast.unit,
                         end_note="x")
    assert list(Membership.objects.filter(user=cast.clerk, is_active=True).values_list("unit", flat=True)) == [
        cast.unit.pk]


def test_categories_are_added_renamed_reordered_and_deleted_when_empty(cast, government):
    category = services.create_category(actor=cast.operator, name="开发区")
    assert category.code == "kaifaqu"
    assert list(UnitCategory.objects.all())[-1] == category
    services.move_category(actor=cast.operator, category=category, direction="up")
    assert list(UnitCategory.objects.all())[-2] == category
    with pytest.raises(ValidationError) as caught:
        services.update_category(actor=cast.operator, category=category, name="政府部门", code="")
    assert "name" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.delete_category(actor=cast.operator, category=government)
    services.delete_category(actor=cast.operator, category=category)
    assert not UnitCategory.objects.filter(pk=category.pk).exists()
    with pytest.raises(DirectoryPermissionDenied):
        services.create_category(actor=cast.admin, name="其他")
