"""Drafting (拟稿): create and edit a document's elements and text, keep every version (痕迹保留).

The elements are those of 党政机关公文处理工作条例 (2012) 第九条; the checks in :func:`check_elements`
cite the article they come from.
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Iterable

from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory.models import Department, Unit
from zhengtong.documents import text as body_text
from zhengtong.documents.exceptions import (
    ClassifiedRefused,
    DocumentInvalid,
    DocumentPermissionDenied,
    ElementsIncomplete,
)
from zhengtong.documents.models import (
    Classification,
    CoIssuer,
    Document,
    DocumentVersion,
    FlowDirection,
    Kind,
    RedHeaderTemplate,
    Urgency,
    default_flow_direction,
)
from zhengtong.documents.services._common import (
    SECRET_WORDS,
    contains_secret_marking,
    may_edit_document,
    require_member,
)
from zhengtong.workflow import selectors as workflow_selectors

# Elements a drafter sets (the rest — number, date, signed off — come from the processing steps).
TEXT_ELEMENTS = ("copy_number", "secrecy_period", "main_recipients", "signature", "notes", "cc", "printer")
ELEMENTS = (*TEXT_ELEMENTS, "classification", "urgency", "flow_direction", "red_header", "signers",
            "attachment_note", "document_date", "has_seal", "print_date", "countersign_departments",
            "co_issuers", "drafting_department")
# 条例 第九条(七): 主送机关 may be left out only by kinds addressed to the public or to the record.
NO_MAIN_RECIPIENTS_KINDS = {Kind.ANNOUNCEMENT, Kind.NOTICE_PUBLIC, Kind.ORDER, Kind.MINUTES, Kind.COMMUNIQUE}
DRAFT_STEP = "拟稿"


def _split_names(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        for separator in ("，", ",", "、", "\n", ";", "；"):
            value = value.replace(separator, " ")
        value = value.split()
    return [str(name).strip() for name in value if str(name).strip()]


def _lines(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    return [str(line).strip() for line in value if str(line).strip()]


def _secret_refusal() -> ClassifiedRefused:
    return ClassifiedRefused(_("Classified documents (秘密, 机密 or 绝密) may not be drafted or handled on this "
                               "platform; handle them offline under the secrecy rules. Only 非密 and 内部 are "
                               "allowed."))


def _clean_body(value) -> list[dict]:
    try:
        return body_text.normalise_blocks(value)
    except ValueError as exc:
        reason = str(exc)
        if reason == "level":
            raise DocumentInvalid(_("A paragraph of the body has an unknown level.")) from None
        if reason == "too_many":
            raise DocumentInvalid(_("The body has too many paragraphs.")) from None
        if reason == "too_long":
            raise DocumentInvalid(_("A paragraph of the body is too long.")) from None
        raise DocumentInvalid(_("The body could not be read; reload the page and try again.")) from None


def _clean_elements(unit: Unit, kind: str, values: dict) -> dict:
    """Validated element values (only the keys given); every problem at once, nothing changed."""
    unknown = set(values) - set(ELEMENTS) - {"title", "body", "kind"}
    if unknown:
        raise TypeError(f"Unknown document elements: {sorted(unknown)}")
    problems: list[str] = []
    cleaned: dict = {}
    if kind not in Kind.values:
        problems.append(_("Choose one of the 15 kinds of official document."))
    for name in TEXT_ELEMENTS:
        if name in values:
            cleaned[name] = str(values[name] or "").strip()
    if "classification" in values:
        classification = str(values["classification"] or Classification.NONE).strip()
        if classification in SECRET_WORDS or classification not in Classification.values:
            raise _secret_refusal()
        cleaned["classification"] = classification
    if any(word in cleaned.get("secrecy_period", "") for word in ("秘密", "机密", "绝密")):
        raise _secret_refusal()
    if "urgency" in values:
        urgency = values["urgency"] or Urgency.NORMAL
        if urgency not in Urgency.values:
            problems.append(_("Choose normal, 加急 or 特急 as the urgency."))
        cleaned["urgency"] = urgency
    if "flow_direction" in values:
        direction = values["flow_direction"] or default_flow_direction(kind)
        if direction not in FlowDirection.values:
            problems.append(_("Choose upward, parallel or downward as the flow direction."))
        cleaned["flow_direction"] = direction
    if "red_header" in values:
        header = values["red_header"]
        if header is not None and not isinstance(header, RedHeaderTemplate):
            header = RedHeaderTemplate.objects.filter(pk=header).first()
            if header is None:
                problems.append(_("The red-header template does not exist."))
        if header is not None and isinstance(header, RedHeaderTemplate) and header.unit_id != unit.pk:
            problems.append(_("The red-header template belongs to another unit."))
        cleaned["red_header"] = header
    if "signers" in values:
        cleaned["signers"] = _split_names(values["signers"])
    if "attachment_note" in values:
        cleaned["attachment_note"] = _lines(values["attachment_note"])
    for name in ("document_date", "print_date"):
        if name in values:
            cleaned[name] = values[name] or None
    if "has_seal" in values:
        cleaned["has_seal"] = bool(values["has_seal"])
    if "drafting_department" in values:
        department = values["drafting_department"]
        if department is not None and getattr(department, "unit_id", unit.pk) != unit.pk:
            problems.append(_("The drafting department belongs to another unit."))
        cleaned["drafting_department"] = department
    if "countersign_departments" in values:
        ids = [getattr(item, "pk", item) for item in values["countersign_departments"] or []]
        try:
            ids = list(dict.fromkeys(int(pk) for pk in ids))
        except (TypeError, ValueError):
            ids = []
            problems.append(_("A countersigning department does not exist."))
        found = set(Department.objects.filter(unit=unit, pk__in=ids).values_list("pk", flat=True))
        if set(ids) - found:
            problems.append(_("Countersigning departments must be departments of the drafting unit."))
        cleaned["countersign_departments"] = ids
    if "co_issuers" in values:
        units = [item if isinstance(item, Unit) else Unit.objects.filter(pk=item).first()
                 for item in values["co_issuers"] or []]
        if any(item is None for item in units):
            problems.append(_("A co-issuing unit does not exist."))
        units = list({item.pk: item for item in units if item is not None}.values())
        if any(item.pk == unit.pk for item in units):
            problems.append(_("The drafting unit cannot also be a co-issuing unit."))
        if any(item.status != Unit.Status.ACTIVE for item in units):
            problems.append(_("A co-issuing unit is no longer active."))
        cleaned["co_issuers"] = units
    if problems:
        raise DocumentInvalid(problems)
    return cleaned


def _clean_title(title: str) -> str:
    title = " ".join(str(title or "").split())
    if not title:
        raise DocumentInvalid(_("Enter the title of the document."))
    if len(title) > 300:
        raise DocumentInvalid(_("The title may have at most 300 characters."))
    return title


def _refuse_secret_text(title: str, blocks: list[dict]) -> None:
    """seed 000, seed 001 第四条, seed 002 第十二条: a 秘密/机密/绝密 marking never enters the platform."""
    if contains_secret_marking(title) or any(contains_secret_marking(block["text"]) for block in blocks):
        raise ClassifiedRefused(_("The title or body carries a classification marking (秘密, 机密 or 绝密). "
                                  "Classified documents may not be handled on this platform."))


def _set_co_issuers(document: Document, units: list[Unit]) -> None:
    keep = [item.pk for item in units]
    document.co_issuers.exclude(unit_id__in=keep).delete()
    for order, item in enumerate(units, start=1):
        CoIssuer.objects.update_or_create(document=document, unit=item, defaults={"sort_order": order * 10})


def _save_version(*, document: Document, actor, title: str, blocks: list[dict], step_label: str,
                  note: str = "") -> DocumentVersion:
    last = document.versions.order_by("-seq").values_list("seq", flat=True).first() or 0
    version = DocumentVersion.objects.create(document=document, seq=last + 1, title=title, body=blocks,
                                             saved_by=actor, step_label=step_label[:100], note=note[:300])
    document.current_version = version
    return version


@transaction.atomic
def create_draft(*, actor, unit: Unit, kind: str, title: str, body, department: Department | None = None,
                 **elements) -> Document:
    """Start a draft (拟稿) in ``unit``: its elements, and the body as version 1 (seed 004 三.1).

    Anyone who works in the unit may draft. A classified document (秘密 and above) is refused with the
    reason (seed 001 第四条); the flow direction defaults from the kind (请示、报告 are upward).
    """
    require_member(actor, unit)
    title = _clean_title(title)
    blocks = _clean_body(body)
    if department is not None:
        elements["drafting_department"] = department
    elements.setdefault("flow_direction", default_flow_direction(kind))
    cleaned = _clean_elements(unit, kind, elements)
    _refuse_secret_text(title, blocks)
    co_issuers = cleaned.pop("co_issuers", [])
    document = Document(unit=unit, direction=Document.Direction.OUTGOING, kind=kind, title=title, drafter=actor,
                        status=Document.Status.DRAFT, **cleaned)
    if not document.signature:
        document.signature = unit.name
    document.save()
    _set_co_issuers(document, co_issuers)
    _save_version(document=document, actor=actor, title=title, blocks=blocks, step_label=DRAFT_STEP)
    document.save(update_fields=["current_version"])
    audit.record(actor=actor, action="documents.document.create", obj=document, unit=unit,
                 summary=_("Drafted %(kind)s %(title)s") % {"kind": document.get_kind_display(), "title": title},
                 changes={"kind": kind, "co_issuers": [item.name for item in co_issuers]})
    return document


def _current_step_label(actor, document: Document) -> str:
    """The step at which the person edits: 拟稿 while drafting, else the step of their open work item."""
    if document.status == Document.Status.DRAFT and document.drafter_id == actor.pk:
        return DRAFT_STEP
    items = workflow_selectors.open_items_for(actor, document)
    return items[0].step_label if items else ""


@transaction.atomic
def update_draft(*, actor, document: Document, step_label: str = "", note: str = "", **changes) -> Document:
    """Change a document's text or elements; a changed title or body is saved as a new version.

    The drafter may edit while it is a draft; afterwards only the person holding its open work item
    (the reviewer at that step) may, and every change is kept with who, when and at which step (痕迹保留).
    """
    document = Document.objects.select_for_update().select_related("unit").get(pk=document.pk)
    if not may_edit_document(actor, document):
        raise DocumentPermissionDenied(_("You may not change this document at its current step."))
    kind = changes.pop("kind", document.kind)
    title = _clean_title(changes.pop("title")) if "title" in changes else document.title
    blocks = _clean_body(changes.pop("body")) if "body" in changes else document.body
    cleaned = _clean_elements(document.unit, kind, changes)
    _refuse_secret_text(title, blocks)
    co_issuers = cleaned.pop("co_issuers", None)
    fields = ["kind", *cleaned.keys()]
    before = audit.snapshot(document, [name for name in fields if name != "red_header"])
    document.kind = kind
    for name, value in cleaned.items():
        setattr(document, name, value)
    text_changed = title != document.title or blocks != document.body
    if text_changed:
        document.title = title
        _save_version(document=document, actor=actor, title=title, blocks=blocks,
                      step_label=step_label or _current_step_label(actor, document), note=note)
    document.save()
    if co_issuers is not None:
        _set_co_issuers(document, co_issuers)
    changed = audit.diff(document, before, [name for name in fields if name != "red_header"])
    if text_changed:
        changed["version"] = document.current_version.seq
    audit.record(actor=actor, action="documents.document.update", obj=document, unit=document.unit,
                 summary=_("Changed %(title)s") % {"title": document.title}, changes=changed)
    return document


def check_elements(document: Document, *, stage: str) -> list[str]:
    """The problems that stop ``document`` at ``stage`` ("submit", "sign_off" or "compose"), in Chinese.

    条例 第九条: 主送机关 (except 公告、通告、命令、纪要、公报); 签发人 on upward documents (第九条(五));
    发文字号 and 成文日期 before composing (第九条(四)(十三)). seed 001 第四条: nothing classified.
    """
    problems: list[str] = []
    blocks = document.body
    if document.classification not in Classification.values:
        problems.append(_("Classified documents (秘密, 机密 or 绝密) may not be handled on this platform."))
    if contains_secret_marking(document.title) or any(contains_secret_marking(b.get("text", "")) for b in blocks):
        problems.append(_("The title or body carries a classification marking (秘密, 机密 or 绝密)."))
    if not document.title.strip():
        problems.append(_("The title (标题) is missing."))
    if not blocks:
        problems.append(_("The body (正文) is empty."))
    if not document.main_recipients.strip() and document.kind not in NO_MAIN_RECIPIENTS_KINDS:
        problems.append(_("The main recipients (主送机关) are missing; a %(kind)s must name them.")
                        % {"kind": document.get_kind_display()})
    if document.kind == Kind.REQUEST and "、" in document.main_recipients.replace("，", "、").strip("、"):
        # 条例 第十五条(一): 请示应当一文一事，一般只写一个主送机关
        problems.append(_("A request (请示) goes to one main recipient only."))
    if stage == "compose" and document.is_upward and not document.signers:
        problems.append(_("An upward document (上行文) must name its signers (签发人)."))
    if stage == "compose":
        if not document.number:
            problems.append(_("The document number (发文字号) is missing."))
        if not document.document_date:
            problems.append(_("The date (成文日期) is missing."))
    return problems


def require_elements(document: Document, *, stage: str) -> None:
    """Raise :class:`ElementsIncomplete` with every problem of :func:`check_elements`."""
    problems = check_elements(document, stage=stage)
    if problems:
        raise ElementsIncomplete(problems)


# --- rendering ---------------------------------------------------------------------------------

def default_red_header(unit: Unit, kind: str) -> RedHeaderTemplate | None:
    """The unit's template for ``kind``: one listing the kind first, else the default, else any."""
    templates = list(RedHeaderTemplate.objects.filter(unit=unit).order_by("-is_default", "name", "pk"))
    for template in templates:
        if kind in (template.kinds or []):
            return template
    for template in templates:
        if template.is_default and not template.kinds:
            return template
    return next((t for t in templates if not t.kinds), None)


def layout_for(document: Document):
    """The document's elements as the rendering engineer's :class:`DocumentLayout` (GB/T 9704-2012)."""
    from zhengtong.documents.rendering import BodyBlock, DocumentLayout, RedHeader

    co_units = [item.unit.name for item in document.co_issuers.select_related("unit")]
    template = document.red_header or default_red_header(document.unit, document.kind)
    if document.red_header is not None:
        lines = tuple(template.lines or [document.unit.name])
    else:
        # GB/T 9704 7.2.4: a joint document stacks every issuing authority, the lead one first.
        lines = tuple(template.lines) if template is not None and template.lines else (document.unit.name,)
        lines = (*lines, *(name for name in co_units if name not in lines))
    header = RedHeader(lines=lines, suffix=template.suffix if template is not None else "文件",
                       color=template.color if template is not None else "#E60012")
    signature_lines = [line.strip() for line in (document.signature or document.unit.name).splitlines()
                       if line.strip()]
    signature_lines += [name for name in co_units if name not in signature_lines]
    return DocumentLayout(
        header=header,
        title=document.title,
        body=tuple(BodyBlock(level=int(block["level"]), text=block["text"]) for block in document.body),
        number=document.number,
        copy_number=document.copy_number,
        classification="内部" if document.classification == Classification.INTERNAL else "",
        secrecy_period=document.secrecy_period,
        urgency={Urgency.URGENT: "加急", Urgency.VERY_URGENT: "特急"}.get(document.urgency, ""),
        signers=tuple(document.signers or ()),
        main_recipients=document.main_recipients,
        attachments=tuple(document.attachment_note or ()),
        signature_lines=tuple(signature_lines),
        date=document.document_date,
        seal_space=document.has_seal,
        notes=document.notes,
        cc=document.cc,
        printer=document.printer or document.unit.name,
        print_date=document.print_date,
        upward=document.is_upward,
    )


# --- 痕迹保留 ------------------------------------------------------------------------------------

def _inline(old: str, new: str) -> str:
    """One changed line with deletions and insertions marked character by character."""
    out = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append(html.escape(old[a0:a1]))
        if op in ("delete", "replace"):
            out.append(f'<del class="zt-del">{html.escape(old[a0:a1])}</del>')
        if op in ("insert", "replace"):
            out.append(f'<ins class="zt-ins">{html.escape(new[b0:b1])}</ins>')
    return "".join(out)


def _title_and_lines(version: DocumentVersion) -> list[str]:
    return [version.title, *body_text.numbered_lines(version.body)]


def diff_rows(a: DocumentVersion, b: DocumentVersion) -> Iterable[tuple[str, str]]:
    """(kind, html) per line of the newer version: kind is equal, insert, delete or change."""
    old, new = _title_and_lines(a), _title_and_lines(b)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            for line in new[b0:b1]:
                yield "equal", html.escape(line)
        elif op == "delete":
            for line in old[a0:a1]:
                yield "delete", f'<del class="zt-del">{html.escape(line)}</del>'
        elif op == "insert":
            for line in new[b0:b1]:
                yield "insert", f'<ins class="zt-ins">{html.escape(line)}</ins>'
        else:
            pairs = list(zip(old[a0:a1], new[b0:b1], strict=False))
            for before, after in pairs:
                yield "change", _inline(before, after)
            for line in old[a0 + len(pairs):a1]:
                yield "delete", f'<del class="zt-del">{html.escape(line)}</del>'
            for line in new[b0 + len(pairs):b1]:
                yield "insert", f'<ins class="zt-ins">{html.escape(line)}</ins>'


def compare_versions(a: DocumentVersion, b: DocumentVersion) -> SafeString:
    """An inline diff of two versions (痕迹保留): the title first, then the numbered body lines.

    Deletions are ``<del class="zt-del">``, additions ``<ins class="zt-ins">``; all text is escaped.
    """
    rows = "".join(f'<div class="zt-diff-line zt-diff-{kind}">{content or "&nbsp;"}</div>'
                   for kind, content in diff_rows(a, b))
    return mark_safe(f'<div class="zt-diff">{rows}</div>')  # noqa: S308 — every piece escaped above
