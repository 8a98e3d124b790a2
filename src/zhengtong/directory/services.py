"""Every change to the directory: keyword-only, atomic, permission-checked and audited."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import selectors
from zhengtong.directory.exceptions import DirectoryPermissionDenied
from zhengtong.directory.models import Department, Membership, Role, RoleAssignment, Unit, UnitCategory, User
from zhengtong.directory.pinyin import name_initials, name_to_pinyin, next_free_username

# Without 0/O, 1/l/I: an initial password is read out or copied by hand.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_initial_password() -> str:
    """A random one-time password (never a shared default such as 88888888)."""
    while True:
        raw = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))
        if any(c.islower() for c in raw) and any(c.isupper() for c in raw) and any(c.isdigit() for c in raw):
            return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _require_operator(actor) -> None:
    if actor is not None and not selectors.is_platform_operator(actor):
        raise DirectoryPermissionDenied(_("Only the platform operator may do this."))


def _require_unit_admin(actor, unit: Unit) -> None:
    if actor is not None and not selectors.can_manage_unit(actor, unit):
        raise DirectoryPermissionDenied(_("You may only manage the directory of your own unit."))
    if not unit.is_active:
        raise ValidationError(_("The unit %(unit)s is no longer active.") % {"unit": unit.name})


def _validated(instance, *, exclude: Iterable[str] = ()):
    instance.full_clean(exclude=list(exclude))
    return instance


@transaction.atomic
def register_unit(*, actor, name: str, code: str, category: UnitCategory, short_name: str = "",
                  credit_code: str = "", parent: Unit | None = None, sort_order: int = 0,
                  document_prefix: str = "", description: str = "") -> Unit:
    """Register a unit (seed 001 第八条: the operator registers a unit after approval)."""
    _require_operator(actor)
    unit = _validated(Unit(name=name.strip(), short_name=short_name.strip(), code=code.strip(),
                           category=category, credit_code=credit_code.strip().upper(), parent=parent,
                           sort_order=sort_order, document_prefix=document_prefix.strip(),
                           description=description))
    unit.save()
    audit.record(actor=actor, action="directory.unit.register", obj=unit, unit=unit,
                 summary=_("Registered unit %(name)s") % {"name": unit.name},
                 changes={"code": unit.code, "category": category.name})
    return unit


@transaction.atomic
def create_department(*, actor, unit: Unit, name: str, parent: Department | None = None,
                      sort_order: int = 0, phone: str = "") -> Department:
    """Add a department (科室) to a unit."""
    _require_unit_admin(actor, unit)
    if parent is not None and parent.unit_id != unit.pk:
        raise ValidationError(_("The parent department belongs to another unit."))
    department = _validated(Department(unit=unit, name=name.strip(), parent=parent, sort_order=sort_order,
                                       phone=phone.strip()))
    department.save()
    audit.record(actor=actor, action="directory.department.create", obj=department, unit=unit,
                 summary=_("Created department %(name)s") % {"name": department.name})
    return department


def suggest_username(name: str) -> str:
    """The pinyin username a new person would get (raises ValidationError for unknown characters)."""
    base = name_to_pinyin(name)
    taken = set(User.objects.filter(username__regex=rf"^{base}[0-9]*$").values_list("username", flat=True))
    return next_free_username(base, taken)


@transaction.atomic
def create_person(*, actor, unit: Unit, name: str, username: str = "", mobile: str = "", email: str = "",
                  department: Department | None = None, title: str = "", office_phone: str = "",
                  leader_order: int | None = None, sort_order: int = 100,
                  role_codes: Iterable[str] = ()) -> tuple[User, str]:
    """Create a person with their one account and a post in ``unit``; return (person, initial password).

    The username is the full pinyin of the name unless given (seed 004); the initial password is
    random, shown once, and must be changed at first sign-in (seed 001 第十五条).
    """
    _require_unit_admin(actor, unit)
    name = name.strip()
    if department is not None and department.unit_id != unit.pk:
        raise ValidationError({"department": _("The department belongs to another unit.")})
    username = username.strip().lower() or suggest_username(name)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("The username %(username)s is taken.") % {"username": username}})
    password = generate_initial_password()
    user = User(username=username, name=name, initials=name_initials(name), mobile=mobile.strip(),
                email=email.strip(), must_change_password=True)
    user.set_password(password)
    _validated(user, exclude=["password"])
    user.save()
    membership = _validated(Membership(user=user, unit=unit, department=department, title=title.strip(),
                                       office_phone=office_phone.strip(), leader_order=leader_order,
                                       sort_order=sort_order, is_primary=True), exclude=["user"])
    membership.save()
    audit.record(actor=actor, action="directory.person.create", obj=user, unit=unit,
                 summary=_("Created account %(username)s for %(name)s") % {"username": username, "name": name},
                 changes={"department": getattr(department, "name", ""), "title": title})
    if role_codes:
        set_roles(actor=actor, user=user, unit=unit, role_codes=role_codes)
    return user, password


@transaction.atomic
def add_membership(*, actor, user: User, unit: Unit, department: Department | None = None, title: str = "",
                   leader_order: int | None = None, sort_order: int = 100) -> Membership:
    """Give an existing person a post in a second unit (one person, one account, two units)."""
    _require_unit_admin(actor, unit)
    if department is not None and department.unit_id != unit.pk:
        raise ValidationError({"department": _("The department belongs to another unit.")})
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit,
        defaults={"department": department, "title": title, "leader_order": leader_order,
                  "sort_order": sort_order, "is_primary": not user.memberships.exists()})
    if not created:
        if membership.is_active:
            raise ValidationError(_("%(name)s already has a post in %(unit)s.") % {"name": user.name, "unit": unit.name})
        membership.is_active = True
        membership.department, membership.title = department, title
        membership.save()
    audit.record(actor=actor, action="directory.membership.add", obj=membership, unit=unit,
                 summary=_("%(name)s now serves in %(unit)s") % {"name": user.name, "unit": unit.name})
    return membership


@transaction.atomic
def set_roles(*, actor, user: User, unit: Unit, role_codes: Iterable[str]) -> list[Role]:
    """Make ``user``'s roles in ``unit`` exactly ``role_codes`` (《公文流转角色添加记录表》)."""
    _require_unit_admin(actor, unit)
    codes = set(role_codes)
    wanted = list(Role.objects.filter(code__in=codes))
    unknown = codes - {role.code for role in wanted}
    if unknown:
        raise ValidationError(_("Unknown role: %(codes)s") % {"codes": "、".join(sorted(unknown))})
    allowed = set(selectors.roles_assignable_by(actor).values_list("code", flat=True)) if actor else codes
    current = set(RoleAssignment.objects.filter(user=user, unit=unit).values_list("role__code", flat=True))
    forbidden = (codes ^ current) - allowed
    if forbidden:
        raise DirectoryPermissionDenied(_("You may not give or take the role: %(codes)s")
                                        % {"codes": "、".join(sorted(forbidden))})
    if not Membership.objects.filter(user=user, unit=unit, is_active=True).exists():
        raise ValidationError(_("%(name)s has no post in %(unit)s.") % {"name": user.name, "unit": unit.name})
    RoleAssignment.objects.filter(user=user, unit=unit).exclude(role__code__in=codes).delete()
    for role in wanted:
        RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    if codes != current:
        audit.record(actor=actor, action="directory.roles.set", obj=user, unit=unit,
                     summary=_("Roles of %(name)s changed") % {"name": user.name},
                     changes={"roles": [sorted(current), sorted(codes)]})
    return wanted


@transaction.atomic
def reset_password(*, actor, user: User, unit: Unit) -> str:
    """Give a person a new one-time password (seed 001 第十五条: 恢复初始密码); ends their sessions."""
    _require_unit_admin(actor, unit)
    if not Membership.objects.filter(user=user, unit=unit).exists():
        raise DirectoryPermissionDenied(_("You may only manage the directory of your own unit."))
    password = generate_initial_password()
    user.set_password(password)
    user.must_change_password = True
    user.failed_sign_ins = 0
    user.locked_until = None
    if user.status == User.Status.LOCKED:
        user.status = User.Status.ACTIVE
    user.session_generation += 1
    user.save()
    audit.record(actor=actor, action="directory.person.reset_password", obj=user, unit=unit,
                 summary=_("Reset the password of %(username)s") % {"username": user.username})
    return password


@transaction.atomic
def update_own_contact(*, actor: User, mobile: str, email: str) -> User:
    """A person keeps their own mobile number and e-mail up to date (seed 001 第十六条)."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    before = {"mobile": user.mobile, "email": user.email}
    user.mobile, user.email = mobile.strip(), email.strip()
    _validated(user, exclude=["password"])
    user.save(update_fields=["mobile", "email"])
    changes = {key: [before[key], getattr(user, key)] for key in before if before[key] != getattr(user, key)}
    if changes:
        audit.record(actor=actor, action="directory.person.update_contact", obj=user,
                     summary=_("Updated own contact details"), changes=changes)
    return user
