"""Check every row of a people sheet and plan the account each row would become.

The same check runs at the preview and again right before the import (data may have changed in
between). A row is cleaned before it is checked: surrounding and doubled spaces go, full-width
letters and digits become half-width (１３８… → 138…), spaces between Chinese characters of a name
go (张　三 → 张三), and a +86 prefix or separators in a mobile number are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _

from zhengtong.directory import selectors
from zhengtong.directory.imports.columns import COLUMNS
from zhengtong.directory.imports.sheets import SheetRow
from zhengtong.directory.models import Department, Membership, Role, Unit, User
from zhengtong.directory.pinyin import PinyinError, name_to_pinyin, next_free_username
from zhengtong.directory.validators import MOBILE_RE, validate_username

DEFAULT_SORT_ORDER = 100
MAX_NUMBER = 999_999
_LABELS = {column.key: column.label for column in COLUMNS}
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_MIDDLE_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "．": "·"})
_ROLE_SEPARATORS = re.compile(r"[、,，;；\s]+")
_OFFICE_PHONE = re.compile(r"^[0-9+\-() ,/、转分机ext.#*]+$", re.IGNORECASE)
_PARENTHESES = re.compile(r"\(.*?\)")
_CHUNK = 400


@dataclass
class PlannedRow:
    """One row of the sheet, cleaned, with the account it would create or what is wrong with it."""

    row: int
    source: dict[str, str]
    name: str = ""
    username: str = ""
    username_generated: bool = False
    department_id: int | None = None
    department: str = ""
    title: str = ""
    mobile: str = ""
    email: str = ""
    office_phone: str = ""
    sort_order: int = DEFAULT_SORT_ORDER
    leader_order: int | None = None
    role_codes: list[str] = field(default_factory=list)
    role_names: list[str] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, column: str, message: str) -> None:
        self.errors.append({"column": column, "message": message})

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> PlannedRow:
        return cls(**data)


def clean(text: str) -> str:
    """Full-width folded to half-width, runs of spaces made one, surrounding space removed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def clean_name(text: str) -> str:
    text = _SPACE_BETWEEN_CJK.sub("", clean(text))
    return text.translate(_MIDDLE_DOTS)


def clean_mobile(text: str) -> str:
    digits = re.sub(r"[\s\-()]", "", clean(text))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix):]
    if len(digits) == 13 and digits.startswith("86"):
        return digits[2:]
    return digits


def _number(text: str) -> int | None:
    text = clean(text).replace(",", "")
    match = re.fullmatch(r"(\d+)(?:\.0+)?", text)
    if not match or int(match.group(1)) > MAX_NUMBER:
        raise ValueError(text)
    return int(match.group(1))


def _role_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def department_paths(unit: Unit) -> dict[int, tuple[str, ...]]:
    """Each department of the unit → its names from the top (办公室, 综合组)."""
    by_id = {department.pk: department for department in selectors.departments_of(unit)}
    paths: dict[int, tuple[str, ...]] = {}
    for department in by_id.values():
        parts, node, seen = [], department, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            parts.append(node.name)
            node = by_id.get(node.parent_id)
        paths[department.pk] = tuple(reversed(parts))
    return paths


def path_label(path: tuple[str, ...]) -> str:
    return "/".join(path)


class Context:
    """What the check needs from the database, read once per sheet."""

    def __init__(self, *, actor, unit: Unit):
        self.unit = unit
        self.department_paths = department_paths(unit)
        self.roles = list(Role.objects.order_by("sort_order", "id"))
        self.assignable = set(selectors.roles_assignable_by(actor).values_list("code", flat=True)) \
            if actor is not None else {role.code for role in self.roles}
        self.role_index: dict[str, set[str]] = defaultdict(set)
        for role in self.roles:
            plain = _PARENTHESES.sub("", _role_key(role.name))
            for key in {role.code.lower(), _role_key(role.name), plain, *plain.split("/")}:
                if key:
                    self.role_index[key].add(role.code)
        self.role_names = {role.code: role.name for role in self.roles}
        self.role_order = {role.code: position for position, role in enumerate(self.roles)}

    def path_label(self, department_id: int) -> str:
        return path_label(self.department_paths[department_id])

    def sorted_paths(self) -> list[str]:
        return sorted((self.path_label(pk) for pk in self.department_paths),
                      key=lambda label: (label.count("/"), label))


def plan_rows(*, actor, unit: Unit, rows: list[SheetRow]) -> list[PlannedRow]:
    """Check every row and plan its account; usernames are numbered in sheet order (seed 004)."""
    context = Context(actor=actor, unit=unit)
    planned = [_plan_row(context, row) for row in rows]
    _plan_usernames(planned)
    _warn_about_namesakes(unit, planned)
    return planned


def _plan_row(context: Context, sheet_row: SheetRow) -> PlannedRow:
    values = sheet_row.values
    row = PlannedRow(row=sheet_row.row, source=dict(values))

    row.name = clean_name(values.get("name", ""))
    if not row.name:
        row.error("name", _("The name is missing."))
    elif len(row.name) > 40:
        row.error("name", _("The name “%(value)s” is longer than %(max)s characters.")
                  % {"value": row.name, "max": 40})

    username = clean(values.get("username", "")).replace(" ", "").lower()
    if username:
        try:
            validate_username(username)
        except ValidationError:
            row.error("username", _("The username “%(value)s” is not valid: it starts with a lower-case letter "
                                    "followed by letters or digits, 2 to 40 characters in all.")
                      % {"value": username})
        row.username = username
    else:
        row.username_generated = True

    department = clean(values.get("department", ""))
    if department:
        _plan_department(context, row, department)

    row.title = clean(values.get("title", ""))
    if len(row.title) > 40:
        row.error("title", _("The title is longer than %(max)s characters.") % {"max": 40})

    raw_mobile = clean(values.get("mobile", ""))
    row.mobile = clean_mobile(raw_mobile)
    if row.mobile and not MOBILE_RE.match(row.mobile):
        row.error("mobile", _("The mobile number “%(value)s” is not valid: enter 11 digits starting with 1, "
                              "e.g. 13812345678.") % {"value": raw_mobile})

    row.email = clean(values.get("email", "")).replace(" ", "")
    if row.email:
        try:
            validate_email(row.email)
            if len(row.email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            row.error("email", _("The e-mail address “%(value)s” is not valid.") % {"value": row.email})

    row.office_phone = clean(values.get("office_phone", ""))
    if row.office_phone and (len(row.office_phone) > 30 or not _OFFICE_PHONE.match(row.office_phone)
                             or not any(ch.isdigit() for ch in row.office_phone)):
        row.error("office_phone", _("The office phone “%(value)s” is not valid: use digits, “-”, brackets and "
                                    "转 before an extension, at most 30 characters.")
                  % {"value": row.office_phone})

    for key in ("sort_order", "leader_order"):
        text = clean(values.get(key, ""))
        if not text:
            continue
        try:
            setattr(row, key, _number(text))
        except ValueError:
            row.error(key, _("“%(column)s” must be a whole number from 0 to %(max)s, not “%(value)s”.")
                      % {"column": _LABELS[key], "max": MAX_NUMBER, "value": text})

    _plan_roles(context, row, values.get("roles", ""))
    return row


def _plan_department(context: Context, row: PlannedRow, text: str) -> None:
    parts = tuple(part.strip() for part in re.split(r"[/\\]", text) if part.strip())
    matches = [pk for pk, path in context.department_paths.items() if path == parts]
    if not matches:
        # a unique name, or the end of a path (综合组 for 办公室/综合组), is enough
        matches = [pk for pk, path in context.department_paths.items() if path[-len(parts):] == parts]
    if len(matches) == 1:
        row.department_id = matches[0]
        row.department = context.path_label(matches[0])
    elif matches:
        example = min((context.path_label(pk) for pk in matches), key=len)
        row.error("department", _("Several departments are called “%(value)s”: write the full path, e.g. "
                                  "%(example)s.") % {"value": text, "example": example})
    else:
        row.error("department", _("%(unit)s has no department “%(value)s”. Choose one from the list in the "
                                  "template, or add the department first.")
                  % {"unit": context.unit.display_name, "value": text})


def _plan_roles(context: Context, row: PlannedRow, text: str) -> None:
    codes: list[str] = []
    unknown: list[str] = []
    for token in _ROLE_SEPARATORS.split(unicodedata.normalize("NFKC", text or "")):
        token = token.strip()
        if not token:
            continue
        found = context.role_index.get(_role_key(token), set())
        if len(found) != 1:
            unknown.append(token)
        elif (code := next(iter(found))) not in codes:
            codes.append(code)
    if unknown:
        row.error("roles", _("Unknown role: %(roles)s. Write role names or codes, several separated by 、.")
                  % {"roles": "、".join(unknown)})
    forbidden = [context.role_names[code] for code in codes if code not in context.assignable]
    if forbidden:
        row.error("roles", _("You may not give the role %(roles)s: only the platform operator gives platform "
                             "roles.") % {"roles": "、".join(forbidden)})
    codes.sort(key=context.role_order.__getitem__)
    row.role_codes = codes
    row.role_names = [context.role_names[code] for code in codes]


def _existing(usernames: set[str]) -> set[str]:
    found: set[str] = set()
    names = sorted(usernames)
    for start in range(0, len(names), _CHUNK):
        found |= set(User.objects.filter(username__in=names[start:start + _CHUNK])
                     .values_list("username", flat=True))
    return found


def _taken_with_base(bases: set[str]) -> dict[str, set[str]]:
    """For each pinyin base, the existing usernames base, base01, base02…"""
    taken: dict[str, set[str]] = defaultdict(set)
    ordered = sorted(bases)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start:start + _CHUNK]
        query = Q()
        for base in chunk:
            query |= Q(username__startswith=base)
        for username in User.objects.filter(query).values_list("username", flat=True):
            for base in chunk:
                if re.fullmatch(rf"{re.escape(base)}\d*", username):
                    taken[base].add(username)
    return taken


def _plan_usernames(rows: list[PlannedRow]) -> None:
    # Usernames written in the sheet are checked first and kept free for those rows.
    given = [row for row in rows if not row.username_generated and not _has_error(row, "username")]
    existing = _existing({row.username for row in given})
    first_row: dict[str, int] = {}
    for row in given:
        if row.username in existing:
            row.error("username", _("The username “%(value)s” is already taken. Leave the cell empty to get a "
                                    "free one; if this is the same person, give them a post in this unit "
                                    "instead.") % {"value": row.username})
        elif row.username in first_row:
            row.error("username", _("The username “%(value)s” is also used in row %(row)s.")
                      % {"value": row.username, "row": first_row[row.username]})
        else:
            first_row[row.username] = row.row
    reserved = set(first_row)

    bases: dict[int, str] = {}
    for row in rows:
        if not row.username_generated or not row.name:
            continue
        try:
            bases[row.row] = name_to_pinyin(row.name)
        except PinyinError as exc:
            chars = exc.params.get("chars", "") if exc.params else ""
            row.error("username", _("No pinyin is known for “%(chars)s” in the name “%(name)s”: enter a username "
                                    "for this person.") % {"chars": chars, "name": row.name})
    taken = _taken_with_base(set(bases.values()))
    for row in rows:
        base = bases.get(row.row)
        if base is None:
            continue
        try:
            username = next_free_username(base, taken[base] | reserved)
            validate_username(username)
        except ValidationError:
            row.error("username", _("The username made from the name is too long or not valid: enter a username "
                                    "for this person."))
            continue
        row.username = username
        reserved.add(username)


def _has_error(row: PlannedRow, column: str) -> bool:
    return any(error["column"] == column for error in row.errors)


def _warn_about_namesakes(unit: Unit, rows: list[PlannedRow]) -> None:
    names = {row.name for row in rows if row.name}
    namesakes: dict[str, list[str]] = defaultdict(list)
    ordered = sorted(names)
    for start in range(0, len(ordered), _CHUNK):
        for name, username in (Membership.objects.filter(unit=unit, is_active=True,
                                                         user__name__in=ordered[start:start + _CHUNK])
                               .values_list("user__name", "user__username")):
            namesakes[name].append(username)
    for row in rows:
        if row.name in namesakes:
            row.warnings.append(_("%(unit)s already has a person called %(name)s (%(usernames)s). If this is "
                                  "the same person, remove the row.")
                                % {"unit": unit.display_name, "name": row.name,
                                   "usernames": "、".join(sorted(namesakes[row.name]))})


def row_messages(rows: list[PlannedRow]) -> list[str]:
    """Every error as “Row 5: …”, in sheet order."""
    return [_("Row %(row)s: %(message)s") % {"row": row.row, "message": error["message"]}
            for row in rows for error in row.errors]


def department_by_id(unit: Unit) -> dict[int, Department]:
    return {department.pk: department for department in Department.objects.filter(unit=unit)}
