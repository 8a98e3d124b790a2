"""Red-header templates (红头模板) for the 发文机关标志 (GB/T 9704-2012 7.2.4)."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory.models import Unit
from zhengtong.documents.exceptions import DocumentInvalid
from zhengtong.documents.models import Kind, RedHeaderTemplate
from zhengtong.documents.services._common import require_unit_admin

COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
FIELDS = ["name", "lines", "suffix", "color", "is_default", "kinds"]


def _clean(*, name, lines, suffix, color, kinds) -> dict:
    problems = []
    name = " ".join(str(name or "").split())
    if isinstance(lines, str):
        lines = lines.splitlines()
    lines = [" ".join(str(line).split()) for line in lines or [] if str(line).strip()]
    suffix = "".join(str(suffix if suffix is not None else "文件").split())
    color = str(color or "#E60012").strip()
    kinds = list(dict.fromkeys(kinds or []))
    if not name:
        problems.append(_("Enter the name of the template."))
    if not lines:
        problems.append(_("Enter at least one authority name (发文机关名称)."))
    if len(lines) > 6:
        problems.append(_("A red header stacks at most 6 authority names."))
    if any(len(line) > 40 for line in lines):
        problems.append(_("An authority name may have at most 40 characters."))
    if len(suffix) > 10:
        problems.append(_("The suffix may have at most 10 characters, usually 文件."))
    if not COLOUR.match(color):
        problems.append(_("The colour must be written like #E60012."))
    if any(kind not in Kind.values for kind in kinds):
        problems.append(_("Choose kinds from the 15 kinds of official document."))
    if problems:
        raise DocumentInvalid(problems)
    return {"name": name[:100], "lines": lines, "suffix": suffix, "color": color.upper(), "kinds": kinds}


def _only_default(template: RedHeaderTemplate) -> None:
    if template.is_default:
        RedHeaderTemplate.objects.filter(unit=template.unit_id, is_default=True).exclude(pk=template.pk) \
            .update(is_default=False)


@transaction.atomic
def create_red_header(*, actor, unit: Unit, name: str, lines, suffix: str = "文件", color: str = "#E60012",
                      is_default: bool = False, kinds=None) -> RedHeaderTemplate:
    """Add a red-header template; the unit's first one, or one marked default, becomes the default."""
    require_unit_admin(actor, unit)
    values = _clean(name=name, lines=lines, suffix=suffix, color=color, kinds=kinds)
    first = not RedHeaderTemplate.objects.filter(unit=unit).exists()
    template = RedHeaderTemplate.objects.create(unit=unit, is_default=bool(is_default) or first, **values)
    _only_default(template)
    audit.record(actor=actor, action="documents.template.create", obj=template, unit=unit,
                 summary=_("Added the red-header template %(name)s") % {"name": template.name})
    return template


@transaction.atomic
def update_red_header(*, actor, template: RedHeaderTemplate, name: str, lines, suffix: str = "文件",
                      color: str = "#E60012", is_default: bool = False, kinds=None) -> RedHeaderTemplate:
    """Change a red-header template (documents already rendered keep their PDF)."""
    template = RedHeaderTemplate.objects.select_for_update().select_related("unit").get(pk=template.pk)
    require_unit_admin(actor, template.unit)
    values = _clean(name=name, lines=lines, suffix=suffix, color=color, kinds=kinds)
    before = audit.snapshot(template, FIELDS)
    for key, value in values.items():
        setattr(template, key, value)
    template.is_default = bool(is_default)
    template.save()
    _only_default(template)
    audit.record(actor=actor, action="documents.template.update", obj=template, unit=template.unit,
                 summary=_("Changed the red-header template %(name)s") % {"name": template.name},
                 changes=audit.diff(template, before, FIELDS))
    return template


@transaction.atomic
def delete_red_header(*, actor, template: RedHeaderTemplate) -> None:
    """Remove a template; documents that used it fall back to the unit's default."""
    template = RedHeaderTemplate.objects.select_for_update().select_related("unit").get(pk=template.pk)
    require_unit_admin(actor, template.unit)
    audit.record(actor=actor, action="documents.template.delete", obj=template, unit=template.unit,
                 summary=_("Removed the red-header template %(name)s") % {"name": template.name})
    template.delete()
