"""`zhengtong createadmin`: the first platform operator of a new installation."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

from django.utils.translation import gettext as _

from zhengtong.ops.console import OpsError

DEFAULT_UNIT_NAME = "政务信息中心"
DEFAULT_UNIT_CODE = "ZWXXZX"  # pinyin initials of 政务信息中心
DEFAULT_CATEGORY = "zhengfu"  # 政府部门


def add_arguments(parser) -> None:
    parser.add_argument("--name", help="the operator's Chinese name, e.g. 王小明")
    parser.add_argument("--username", help="the account name (default: the full pinyin of the name)")
    parser.add_argument("--unit-name", help=f"the unit the operator serves in (default: {DEFAULT_UNIT_NAME}; "
                                            "registered when no unit with this name exists)")
    parser.add_argument("--mobile", default="", help="mobile number (optional)")
    parser.add_argument("--another", action="store_true",
                        help="create an operator even though one exists already")
    parser.add_argument("--no-input", action="store_true", help="never ask; fail if something is missing")


@dataclass
class CreatedAdmin:
    user: object
    unit: object
    password: str
    unit_registered: bool


def create_platform_operator(*, name: str, username: str = "", unit_name: str = DEFAULT_UNIT_NAME,
                             mobile: str = "", another: bool = False) -> CreatedAdmin:
    """Create a platform operator and unit admin in ``unit_name``, registering that unit if needed.

    Run from the server's shell, where nobody can sign in yet: the actor is the installation itself
    (actor=None). The person gets a one-time password that must be changed at first sign-in.
    """
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from zhengtong.audit import services as audit
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory
    from zhengtong.directory.models import RoleAssignment, Unit, UnitCategory

    name, username, unit_name = name.strip(), (username or "").strip(), (unit_name or DEFAULT_UNIT_NAME).strip()
    if not name:
        raise OpsError(_("Give the operator's name with --name."))
    existing = (RoleAssignment.objects.filter(role__code=roles.PLATFORM_OPERATOR)
                .select_related("user").order_by("pk").first())
    if existing is not None and not another:
        raise OpsError(_("A platform operator exists already (%(user)s); they create further accounts in the "
                         "office portal. Add --another to create one more here.") % {"user": existing.user})
    try:
        with transaction.atomic():
            unit = Unit.objects.filter(name=unit_name, status=Unit.Status.ACTIVE).first()
            registered = unit is None
            if unit is None:
                category = UnitCategory.objects.filter(code=DEFAULT_CATEGORY).first() or UnitCategory.objects.first()
                if category is None:
                    raise OpsError(_("The database has no unit categories: run `zhengtong migrate` first."))
                unit = directory.register_unit(actor=None, name=unit_name, code=_free_unit_code(),
                                               category=category,
                                               short_name=unit_name if len(unit_name) <= 30 else "")
            user, password = directory.create_person(
                actor=None, unit=unit, name=name, username=username, mobile=mobile,
                role_codes=[roles.PLATFORM_OPERATOR, roles.UNIT_ADMIN])
            audit.record(actor=None, actor_name="zhengtong createadmin", action="ops.operator.create",
                         obj=user, unit=unit,
                         summary=_("Created the platform operator %(user)s from the command line") % {"user": user})
    except ValidationError as exc:
        raise OpsError(_("The operator was not created: %(errors)s") % {"errors": _validation_text(exc)}) from exc
    return CreatedAdmin(user=user, unit=unit, password=password, unit_registered=registered)


def _free_unit_code() -> str:
    from zhengtong.directory.models import Unit

    code, number = DEFAULT_UNIT_CODE, 1
    while Unit.objects.filter(code=code).exists():
        number += 1
        code = f"{DEFAULT_UNIT_CODE}{number:02d}"
    return code


def _validation_text(exc) -> str:
    messages = []
    if hasattr(exc, "message_dict"):
        for messages_of_field in exc.message_dict.values():
            messages.extend(messages_of_field)
    else:
        messages.extend(exc.messages)
    return "；".join(str(message) for message in messages)


def run(options: dict, *, stdin: TextIO | None = None, stdout: TextIO | None = None) -> CreatedAdmin:
    """The command: ask for what was not given (unless --no-input), create, print the password once."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = not options.get("no_input") and stdin.isatty()
    name = (options.get("name") or "").strip()
    username = (options.get("username") or "").strip()
    unit_name = (options.get("unit_name") or "").strip()
    if interactive:
        from zhengtong.directory.models import Unit

        if not name:
            name = _ask(_("Name of the platform operator: "), stdin, stdout)
        if not username:
            suggested = _suggest(name)
            username = _ask(_("Username [%(suggested)s]: ") % {"suggested": suggested}, stdin, stdout) or suggested
        if not unit_name:
            if not Unit.objects.exists():
                default = DEFAULT_UNIT_NAME
            else:
                default = DEFAULT_UNIT_NAME if Unit.objects.filter(name=DEFAULT_UNIT_NAME).exists() else ""
            unit_name = _ask(_("Unit [%(default)s]: ") % {"default": default}, stdin, stdout) or default
    created = create_platform_operator(name=name, username=username, unit_name=unit_name or DEFAULT_UNIT_NAME,
                                       mobile=options.get("mobile") or "", another=bool(options.get("another")))
    if created.unit_registered:
        stdout.write(_("Registered the unit %(unit)s (code %(code)s).") % {"unit": created.unit.name,
                                                                            "code": created.unit.code} + "\n")
    stdout.write(_("Created the platform operator %(name)s in %(unit)s.") % {"name": created.user.name,
                                                                             "unit": created.unit.name} + "\n")
    stdout.write(_("Username: %(username)s") % {"username": created.user.username} + "\n")
    stdout.write(_("One-time password: %(password)s") % {"password": created.password} + "\n")
    stdout.write(_("It is shown only this once and must be changed at the first sign-in.") + "\n")
    return created


def _ask(question: str, stdin: TextIO, stdout: TextIO) -> str:
    stdout.write(question)
    stdout.flush()
    answer = stdin.readline()
    if not answer:
        raise OpsError(_("Cancelled; nothing was created."))
    return answer.strip()


def _suggest(name: str) -> str:
    from django.core.exceptions import ValidationError

    from zhengtong.directory import services as directory

    try:
        return directory.suggest_username(name)
    except ValidationError:
        return ""
