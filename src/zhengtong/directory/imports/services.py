"""Bulk import of people from an Excel sheet, and export (seed 004 八.二 用户管理: 批量导入).

An import has two steps the admin sees: the upload is checked row by row and previewed (nothing is
written unless every row is valid), then the confirmed import runs as a background task.

The task works in three stages, because a 5,000-row import and a live progress bar do not fit in one
transaction (on SQLite the writing transaction holds the database's only write lock, and nobody else
could even record the progress):

1. *checking*: every row is checked again, since people or departments may have changed since the
   preview;
2. *preparing*: the one-time passwords are generated and hashed, the slow part (Argon2 takes tenths
   of a second per password), with the progress written in small transactions of its own;
3. *writing*: every person is created through ``directory.services.create_person`` in ONE
   transaction, together with the result — all or nothing. Should anything fail there (a username
   taken in the meantime), the transaction is rolled back and the import is marked failed.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhengtong.audit import services as audit
from zhengtong.directory import selectors
from zhengtong.directory import services as directory_services
from zhengtong.directory.exceptions import DirectoryPermissionDenied
from zhengtong.directory.imports import sheets, vault
from zhengtong.directory.imports.models import PeopleImport
from zhengtong.directory.imports.plan import (Context, PlannedRow, department_by_id, department_paths, path_label,
                                              plan_rows, row_messages)
from zhengtong.directory.models import Membership, RoleAssignment, Unit

logger = logging.getLogger(__name__)

# Passwords not downloaded within this time are wiped by a periodic task (the admin can reset them).
PASSWORDS_KEPT_FOR = timedelta(days=7)
# A running import that has not finished after this long lost its worker (5,000 Argon2 hashes take
# well under an hour); it is marked failed so the admin can try again.
STALLED_AFTER = timedelta(hours=6)
_PROGRESS_EVERY_SECONDS = 0.5


class ImportPermissionDenied(DirectoryPermissionDenied):
    """The actor may not import people into, or export people from, this unit."""


class PasswordsGone(ValidationError):
    """The one-time passwords of an import were downloaded once already, or wiped."""


class _RowFailed(Exception):
    def __init__(self, row: int | None, message: str):
        super().__init__(message)
        self.row, self.message = row, message


def _require_admin(actor, unit: Unit) -> None:
    if actor is None or not selectors.can_manage_unit(actor, unit):
        raise ImportPermissionDenied(_("Only the system administrator of %(unit)s may import or export its people.")
                                     % {"unit": unit.name})


# --- template and export ----------------------------------------------------------------------

def template_for(*, actor, unit: Unit) -> bytes:
    """The people import template for ``unit``, its departments and the roles ``actor`` may give."""
    _require_admin(actor, unit)
    context = Context(actor=actor, unit=unit)
    roles = [role.name for role in context.roles if role.code in context.assignable]
    return sheets.template_workbook(unit_name=unit.name, department_paths=context.sorted_paths(),
                                    role_names=roles)


@transaction.atomic
def export_people(*, actor, unit: Unit) -> bytes:
    """The unit's people in the template's layout plus their status; the export is audited."""
    _require_admin(actor, unit)
    paths = department_paths(unit)
    roles: dict[int, list[str]] = {}
    for user_id, name in (RoleAssignment.objects.filter(unit=unit).order_by("role__sort_order", "role_id")
                          .values_list("user_id", "role__name")):
        roles.setdefault(user_id, []).append(name)
    memberships = (Membership.objects.filter(unit=unit).select_related("user")
                   .order_by("-is_active", F("leader_order").asc(nulls_last=True), "sort_order", "id"))
    rows = []
    for membership in memberships:
        user = membership.user
        status = user.get_status_display() if membership.is_active else pgettext("people export status",
                                                                                 "Left this unit")
        rows.append([user.name, user.username,
                     path_label(paths[membership.department_id]) if membership.department_id in paths else "",
                     membership.title, user.mobile, user.email, membership.office_phone, membership.sort_order,
                     membership.leader_order, "、".join(roles.get(user.pk, [])), str(status)])
    audit.record(actor=actor, action="directory.people.export", obj=unit, unit=unit,
                 summary=_("Exported %(count)s people of %(unit)s to Excel") % {"count": len(rows), "unit": unit.name},
                 changes={"count": len(rows)})
    return sheets.export_workbook(rows)


# --- upload and preview -----------------------------------------------------------------------

def upload_sheet(*, actor, unit: Unit, file_name: str, data: bytes) -> tuple[PeopleImport | None, list[PlannedRow]]:
    """Check an uploaded sheet row by row; keep it for confirmation only if every row is valid.

    Returns (import, rows): the import is None when a row has an error, and nothing is written.
    Raises ``SheetError`` when the file is not a readable people sheet.
    """
    _require_admin(actor, unit)
    rows = plan_rows(actor=actor, unit=unit, rows=sheets.read_people_sheet(data))
    if not all(row.ok for row in rows):
        return None, rows
    return _save_preview(actor=actor, unit=unit, file_name=file_name, rows=rows), rows


@transaction.atomic
def _save_preview(*, actor, unit: Unit, file_name: str, rows: list[PlannedRow]) -> PeopleImport:
    people_import = PeopleImport.objects.create(
        unit=unit, created_by=actor, file_name=file_name[:255], total_rows=len(rows),
        rows=[row.as_json() for row in rows])
    audit.record(actor=actor, action="directory.import.preview", obj=people_import, unit=unit,
                 summary=_("Checked the sheet %(file)s: %(count)s people ready to import")
                 % {"file": people_import.file_name, "count": len(rows)},
                 changes={"rows": len(rows)})
    return people_import


@transaction.atomic
def confirm_import(*, actor, people_import: PeopleImport) -> PeopleImport:
    """Start a previewed import: the background task creates the people (see the module docstring)."""
    _require_admin(actor, people_import.unit)
    people_import = PeopleImport.objects.select_for_update().get(pk=people_import.pk)
    if people_import.status != PeopleImport.Status.PREVIEWED:
        raise ValidationError(_("This import was started already."), code="started")
    people_import.status = PeopleImport.Status.RUNNING
    people_import.stage = PeopleImport.Stage.WAITING
    people_import.confirmed_by = actor
    people_import.done_rows = 0
    people_import.save(update_fields=["status", "stage", "confirmed_by", "done_rows"])
    audit.record(actor=actor, action="directory.import.confirm", obj=people_import, unit=people_import.unit,
                 summary=_("Started importing %(count)s people from %(file)s")
                 % {"count": people_import.total_rows, "file": people_import.file_name})
    from zhengtong.directory.imports.tasks import run_people_import

    pk = people_import.pk
    transaction.on_commit(lambda: run_people_import(pk))
    return people_import


# --- the run (background task) ------------------------------------------------------------------

def _progress(people_import: PeopleImport, **fields) -> None:
    """Write progress at once, in its own small transaction, so the progress page sees it."""
    PeopleImport.objects.filter(pk=people_import.pk).update(**fields)
    for name, value in fields.items():
        setattr(people_import, name, value)


def run_import(*, import_id: int) -> PeopleImport | None:
    """Run a confirmed import (the background task); all people or none are created.

    Not one transaction on purpose: see the module docstring. A second run of the same import does
    nothing.
    """
    claimed = PeopleImport.objects.filter(pk=import_id, status=PeopleImport.Status.RUNNING,
                                          started_at__isnull=True).update(started_at=timezone.now(),
                                                                          stage=PeopleImport.Stage.CHECKING)
    if not claimed:
        return None
    people_import = PeopleImport.objects.select_related("unit", "confirmed_by").get(pk=import_id)
    try:
        _run(people_import)
    except _RowFailed as failure:
        _fail(people_import, [{"row": failure.row, "message": failure.message}])
    except Exception:
        logger.exception("people import %s failed", import_id)
        _fail(people_import, [{"row": None, "message": _("The import stopped on an unexpected error. Nothing was "
                                                         "imported; try again or ask the platform operator.")}])
    people_import.refresh_from_db()
    return people_import


def _run(people_import: PeopleImport) -> None:
    actor, unit = people_import.confirmed_by, people_import.unit
    if not unit.is_active or not selectors.can_manage_unit(actor, unit):
        raise _RowFailed(None, _("%(name)s may no longer manage the people of %(unit)s.")
                         % {"name": actor.name, "unit": unit.name})

    rows = plan_rows(actor=actor, unit=unit,
                     rows=[sheets.SheetRow(row=row["row"], values=row["source"]) for row in people_import.rows])
    problems = [{"row": row.row, "message": error["message"]} for row in rows for error in row.errors]
    if problems:
        _fail(people_import, problems)
        return

    _progress(people_import, stage=PeopleImport.Stage.PREPARING, done_rows=0, total_rows=len(rows))
    prepared: list[tuple[PlannedRow, str, str]] = []
    last = time.monotonic()
    for done, row in enumerate(rows, start=1):
        password = directory_services.generate_initial_password()
        # hashed here, before the writing transaction: Argon2 is slow and SQLite has one write lock
        prepared.append((row, password, make_password(password)))
        if time.monotonic() - last >= _PROGRESS_EVERY_SECONDS or done == len(rows):
            _progress(people_import, done_rows=done)
            last = time.monotonic()

    _progress(people_import, stage=PeopleImport.Stage.WRITING)
    with transaction.atomic():
        _write(people_import, actor=actor, unit=unit, prepared=prepared)


def _write(people_import: PeopleImport, *, actor, unit: Unit, prepared) -> None:
    locked = PeopleImport.objects.select_for_update().get(pk=people_import.pk)
    if locked.status != PeopleImport.Status.RUNNING:  # given up on meanwhile (fail_stalled_imports)
        raise _RowFailed(None, _("The import was stopped before it finished. Nothing was imported."))
    departments = department_by_id(unit)
    result, passwords = [], {}
    for row, password, password_hash in prepared:
        if row.department_id is not None and row.department_id not in departments:
            raise _RowFailed(row.row, _("The department %(department)s no longer exists.")
                             % {"department": row.department})
        try:
            user, _password = directory_services.create_person(
                actor=actor, unit=unit, name=row.name, username=row.username, mobile=row.mobile,
                email=row.email, department=departments.get(row.department_id), title=row.title,
                office_phone=row.office_phone, leader_order=row.leader_order, sort_order=row.sort_order,
                role_codes=row.role_codes, password_hash=password_hash)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise _RowFailed(row.row, "；".join(messages)) from exc
        passwords[user.username] = password
        result.append({"row": row.row, "name": user.name, "username": user.username, "user_id": user.pk,
                       "department": row.department, "mobile": row.mobile, "roles": row.role_names})
    people_import.status = PeopleImport.Status.DONE
    people_import.stage = PeopleImport.Stage.FINISHED
    people_import.done_rows = people_import.total_rows = len(result)
    people_import.created_count = len(result)
    people_import.result = result
    people_import.errors = []
    people_import.passwords = vault.seal(passwords)
    people_import.finished_at = timezone.now()
    people_import.save()
    audit.record(actor=actor, action="directory.import.done", obj=people_import, unit=unit,
                 summary=_("Imported %(count)s people from %(file)s")
                 % {"count": len(result), "file": people_import.file_name},
                 changes={"usernames": [item["username"] for item in result]})


@transaction.atomic
def _fail(people_import: PeopleImport, errors: list[dict], *, by_system: bool = False) -> None:
    PeopleImport.objects.filter(pk=people_import.pk).update(
        status=PeopleImport.Status.FAILED, stage=PeopleImport.Stage.FINISHED, errors=errors,
        passwords="", finished_at=timezone.now())
    audit.record(actor=None if by_system else people_import.confirmed_by,
                 actor_name=_("System") if by_system else "", action="directory.import.fail", obj=people_import,
                 unit=people_import.unit,
                 summary=_("The import of %(file)s failed; nothing was imported") % {"file": people_import.file_name},
                 changes={"errors": errors[:20]})


def failure_messages(people_import: PeopleImport) -> list[str]:
    """The reasons a run failed, “Row 5: …” where a row is to blame."""
    return [_("Row %(row)s: %(message)s") % {"row": error["row"], "message": error["message"]}
            if error.get("row") else error["message"] for error in people_import.errors]


# --- the one-time passwords -----------------------------------------------------------------------

@transaction.atomic
def take_passwords(*, actor, people_import: PeopleImport) -> bytes:
    """The one-time passwords of a finished import as .xlsx, once: they are wiped as they are handed out."""
    _require_admin(actor, people_import.unit)
    people_import = PeopleImport.objects.select_for_update().select_related("unit").get(pk=people_import.pk)
    if not people_import.passwords:
        raise PasswordsGone(_("The one-time passwords of this import were downloaded already and have been "
                              "deleted. Reset the password of anyone who still needs one."), code="gone")
    try:
        passwords = vault.unseal(people_import.passwords)
    except vault.SealedPasswordsUnreadable:
        raise PasswordsGone(_("The one-time passwords can no longer be read (the secret key was changed). "
                              "Reset the passwords of the imported people."), code="unreadable") from None
    people_import.passwords = ""
    people_import.passwords_taken_at = timezone.now()
    people_import.save(update_fields=["passwords", "passwords_taken_at"])
    audit.record(actor=actor, action="directory.import.passwords", obj=people_import, unit=people_import.unit,
                 summary=_("Downloaded the one-time passwords of %(count)s imported people; they are now deleted")
                 % {"count": len(passwords)})
    rows = [[item["row"], item["name"], item["username"], passwords.get(item["username"], ""),
             item.get("department", ""), item.get("mobile", "")] for item in people_import.result]
    return sheets.passwords_workbook(unit_name=people_import.unit.name, rows=rows)


@transaction.atomic
def wipe_stale_passwords(*, kept_for: timedelta = PASSWORDS_KEPT_FOR) -> int:
    """Delete one-time passwords nobody downloaded in time (periodic task); returns how many imports."""
    stale = list(PeopleImport.objects.select_for_update().exclude(passwords="")
                 .filter(finished_at__lt=timezone.now() - kept_for).select_related("unit"))
    for people_import in stale:
        people_import.passwords = ""
        people_import.passwords_wiped_at = timezone.now()
        people_import.save(update_fields=["passwords", "passwords_wiped_at"])
        audit.record(action="directory.import.passwords_wipe", obj=people_import, unit=people_import.unit,
                     actor_name=_("System"),
                     summary=_("Deleted the one-time passwords of %(file)s: not downloaded within %(days)s days")
                     % {"file": people_import.file_name, "days": kept_for.days})
    return len(stale)


def fail_stalled_imports(*, after: timedelta = STALLED_AFTER) -> int:
    """Mark failed the imports whose worker died (periodic task); their transaction wrote nothing."""
    now = timezone.now()
    stalled = PeopleImport.objects.filter(status=PeopleImport.Status.RUNNING).filter(
        Q(started_at__lt=now - after) | Q(started_at__isnull=True, created_at__lt=now - after * 4))
    count = 0
    for people_import in stalled.select_related("unit", "confirmed_by"):
        _fail(people_import, [{"row": None, "message": _("The background worker stopped before the import finished. "
                                                         "Nothing was imported; upload the sheet again.")}],
              by_system=True)
        count += 1
    return count


__all__ = ["ImportPermissionDenied", "PasswordsGone", "confirm_import", "export_people", "fail_stalled_imports",
           "failure_messages",
           "row_messages", "run_import", "take_passwords", "template_for", "upload_sheet", "wipe_stale_passwords"]
