"""People and their posts: accounts, memberships, roles, status, passwords and own contact details."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import roles, selectors
from zhengtong.directory.exceptions import DirectoryPermissionDenied
from zhengtong.directory.models import Department, Membership, Role, RoleAssignment, Unit, User, UserGroup
from zhengtong.directory.pinyin import name_initials, name_to_pinyin, next_free_username
from zhengtong.directory.services._common import (_require_unit_admin, _set_primary_elsewhere, _validated,
                                                  generate_initial_password)


def suggest_username(name: str) -> str:
    """The pinyin username a new person would get (raises ValidationError for unknown characters)."""
    base = name_to_pinyin(name)
    taken = set(User.objects.filter(username__regex=rf"^{base}[0-9]*$").values_list("username", flat=True))
    return next_free_username(base, taken)


@transaction.atomic
def create_person(*, actor, unit: Unit, name: str, username: str = "", mobile: str = "", email: str = "",
                  department: Department | None = None, title: str = "", office_phone: str = "",
                  leader_order: int | None = None, sort_order: int = 100,
                  role_codes: Iterable[str] = (), password_hash: str = "") -> tuple[User, str]:
    """Create a person with their one account and a post in ``unit``; return (person, initial password).

    The username is the full pinyin of the name unless given (seed 004); the initial password is
    random, shown once, and must be changed at first sign-in (seed 001 第十五条). A caller that
    hashed a one-time password itself passes ``password_hash`` and gets "" back.
    """
    _require_unit_admin(actor, unit)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Enter the person's name.")]})
    if department is not None and department.unit_id != unit.pk:
        raise ValidationError({"department": _("The department belongs to another unit.")})
    try:
        username = username.strip().lower() or suggest_username(name)
    except ValidationError as exc:  # a character outside the pinyin tables: ask for a username
        raise ValidationError({"username": exc.messages}) from exc
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("The username %(username)s is taken.") % {"username": username}})
    user = User(username=username, name=name, initials=name_initials(name), mobile=mobile.strip(),
                email=email.strip(), must_change_password=True)
    if password_hash:  # hashed by the caller before its transaction (bulk import): Argon2 is slow
        password, user.password = "", password_hash
    else:
        password = generate_initial_password()
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
    user = User.objects.select_for_update().get(pk=user.pk)
    first_post = not Membership.objects.filter(user=user, is_active=True).exists()
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit,
        defaults={"department": department, "title": title, "leader_order": leader_order,
                  "sort_order": sort_order, "is_primary": first_post})
    if not created:
        if membership.is_active:
            raise ValidationError(_("%(name)s already has a post in %(unit)s.") % {"name": user.name, "unit": unit.name})
        membership.is_active = True
        membership.department, membership.title = department, title
        membership.leader_order, membership.sort_order = leader_order, sort_order
        membership.is_primary = first_post
        membership.save()
    if first_post:
        Membership.objects.filter(user=user).exclude(pk=membership.pk).update(is_primary=False)
    changes = {}
    if user.status == User.Status.LEFT:  # a person who had left takes up a post again: same account
        user.status = User.Status.ACTIVE
        user.save(update_fields=["status"])
        changes["status"] = [User.Status.LEFT, User.Status.ACTIVE]
    audit.record(actor=actor, action="directory.membership.add", obj=membership, unit=unit,
                 summary=_("%(name)s now serves in %(unit)s") % {"name": user.name, "unit": unit.name},
                 changes=changes)
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
    if (actor is not None and getattr(actor, "pk", None) == user.pk and roles.UNIT_ADMIN in current - codes
            and not selectors.is_platform_operator(actor)):
        raise ValidationError(_("You cannot take away your own unit system administrator role: ask the "
                                "platform operator or another administrator."))
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
    # An active post only: the admin of a unit the person has left may not take over their account.
    if not Membership.objects.filter(user=user, unit=unit, is_active=True).exists():
        raise DirectoryPermissionDenied(_("You may only manage the directory of your own unit."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.status == User.Status.LEFT:
        raise ValidationError(_("The account of %(name)s is disabled.") % {"name": user.name})
    from zhengtong.accounts.services import remember_current_password

    password = generate_initial_password()
    remember_current_password(user=user)  # so the reset cannot bring an old password back
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


# --- People and their posts ---------------------------------------------------------------------

_ACCOUNT_FIELDS = ["name", "mobile", "email"]
_POST_FIELDS = ["department", "title", "office_phone", "sort_order", "leader_order"]


def _active_post(user: User, unit: Unit) -> Membership:
    post = Membership.objects.select_for_update().filter(user=user, unit=unit, is_active=True).first()
    if post is None:
        raise DirectoryPermissionDenied(_("You may only manage the directory of your own unit."))
    return post


def may_edit_account(actor, user: User, unit: Unit) -> bool:
    """The name, mobile and e-mail of an account belong to the person's primary unit (or the operator)."""
    if actor is None or selectors.is_platform_operator(actor):
        return True
    return Membership.objects.filter(user=user, unit=unit, is_active=True, is_primary=True).exists()


@transaction.atomic
def update_person(*, actor, unit: Unit, user: User, name: str, mobile: str = "", email: str = "",
                  department: Department | None = None, title: str = "", office_phone: str = "",
                  sort_order: int = 100, leader_order: int | None = None) -> Membership:
    """Change a person's details and their post in ``unit`` (seed 004 八.二: 排列顺序、领导排序).

    Name, mobile and e-mail belong to the account and are kept by the person's primary unit; the
    department, title, office phone and orders belong to the post in ``unit``.
    """
    _require_unit_admin(actor, unit)
    post = _active_post(user, unit)
    user = User.objects.select_for_update().get(pk=user.pk)
    if department is not None and department.unit_id != unit.pk:
        raise ValidationError({"department": [_("The department belongs to another unit.")]})
    account_before = audit.snapshot(user, _ACCOUNT_FIELDS)
    post_before = audit.snapshot(post, _POST_FIELDS)
    user.name, user.mobile, user.email = name.strip(), mobile.strip(), email.strip()
    account_changes = audit.diff(user, account_before, _ACCOUNT_FIELDS)
    if account_changes and not may_edit_account(actor, user, unit):
        raise DirectoryPermissionDenied(_("The name, mobile number and e-mail of %(name)s are kept by their "
                                          "primary unit.") % {"name": account_before["name"]})
    if not user.name:
        raise ValidationError({"name": [_("Enter the person's name.")]})
    user.initials = name_initials(user.name)
    post.department, post.title, post.office_phone = department, title.strip(), office_phone.strip()
    post.sort_order, post.leader_order = sort_order, leader_order
    errors: dict = {}
    for instance, exclude in ((user, ["password"]), (post, ["user"])):
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    user.save(update_fields=["name", "initials", "mobile", "email"])
    post.save()
    changes = {**account_changes, **audit.diff(post, post_before, _POST_FIELDS)}
    if changes:
        audit.record(actor=actor, action="directory.person.update", obj=user, unit=unit,
                     summary=_("Changed the details of %(name)s") % {"name": user.name}, changes=changes)
    return post


@transaction.atomic
def set_person_status(*, actor, unit: Unit, user: User, status: str) -> User:
    """Make a person active, locked or left (seed 004 八.二: 锁定).

    Locking ends their sessions at once. "Left" ends their post in ``unit`` with its roles and
    group memberships; the account is disabled when it has no other active post. Making a person
    active again unlocks the account and restores their post here.
    """
    _require_unit_admin(actor, unit)
    if status not in User.Status.values:
        raise ValidationError({"status": [_("Choose a valid status.")]})
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise ValidationError(_("You cannot change the status of your own account."))
    post = Membership.objects.select_for_update().filter(user=user, unit=unit).first()
    if post is None:
        raise DirectoryPermissionDenied(_("You may only manage the directory of your own unit."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not post.is_active and status != User.Status.ACTIVE:
        raise DirectoryPermissionDenied(_("You may only manage the directory of your own unit."))
    before = {"status": user.status, "post_active": post.is_active}
    if status == User.Status.LOCKED:
        user.status = User.Status.LOCKED
        user.session_generation += 1
    elif status == User.Status.ACTIVE:
        user.status, user.locked_until, user.failed_sign_ins = User.Status.ACTIVE, None, 0
        if not post.is_active:
            post.is_active = True
            post.is_primary = not Membership.objects.filter(user=user, is_active=True).exists()
            post.save(update_fields=["is_active", "is_primary"])
    else:
        _end_post(post)
        if not Membership.objects.filter(user=user, is_active=True, unit__status=Unit.Status.ACTIVE).exists():
            user.status = User.Status.LEFT
            user.session_generation += 1
    user.save(update_fields=["status", "locked_until", "failed_sign_ins", "session_generation"])
    after = {"status": user.status, "post_active": post.is_active}
    if after != before:
        audit.record(actor=actor, action=f"directory.person.status_{status}", obj=user, unit=unit,
                     summary=_("Status of %(name)s set to %(status)s")
                     % {"name": user.name, "status": User.Status(status).label},
                     changes={key: [before[key], after[key]] for key in before if before[key] != after[key]})
    return user


def _end_post(post: Membership) -> None:
    """End a post: its roles and the unit's group memberships go with it."""
    post.is_active = False
    post.save(update_fields=["is_active"])
    RoleAssignment.objects.filter(user=post.user_id, unit=post.unit_id).delete()
    for group in UserGroup.objects.filter(unit=post.unit_id, members=post.user_id):
        group.members.remove(post.user_id)
    if post.is_primary:
        _set_primary_elsewhere(post.user)


@transaction.atomic
def remove_membership(*, actor, unit: Unit, user: User) -> None:
    """Remove a person's post in ``unit`` while they keep their other posts (一人多岗)."""
    _require_unit_admin(actor, unit)
    post = _active_post(user, unit)
    if not Membership.objects.filter(user=user, is_active=True, unit__status=Unit.Status.ACTIVE).exclude(
            pk=post.pk).exists():
        raise ValidationError(_("This is the only post of %(name)s: set their status to left instead.")
                              % {"name": user.name})
    _end_post(post)
    audit.record(actor=actor, action="directory.membership.remove", obj=post, unit=unit,
                 summary=_("%(name)s no longer serves in %(unit)s") % {"name": user.name, "unit": unit.name})
