"""The processing sheet (处理单) of a document: 发文稿纸 (签批单) or 收文处理单, with every opinion so far.

The sections follow the paper forms the seeds describe (seed 004 三): for 发文 签发 / 会签 / 核稿 /
审核 / 拟稿, for 收文 拟办意见 / 领导批示 / 承办情况 / 传阅 / 办结. Entries are the handled work items
of the document's processes (the co-issuing units' too), oldest first.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhengtong.documents.models import Document
from zhengtong.workflow import selectors as wf_selectors
from zhengtong.workflow.models import WorkItem

OUTGOING_SECTIONS = [
    ("sign_off", ("sign_off", "joint_sign_off")),
    ("countersign", ("countersign", "joint_check", "joint_review")),
    ("check", ("office_check", "recheck")),
    ("review", ("section_review", "leader_review")),
    ("draft", ("draft",)),
]
INCOMING_SECTIONS = [
    ("propose", ("initial_review", "propose")),
    ("direct", ("direct",)),
    ("handle", ("handle", "co_handle")),
    ("circulate", ("circulate",)),
    ("finish", ("finish",)),
]


def _section_labels() -> dict[str, str]:
    return {
        "sign_off": _("Sign-off (签发)"), "countersign": _("Countersign (会签)"), "check": _("Check (核稿)"),
        "review": _("Review (审核)"), "draft": _("Drafting (拟稿)"),
        "propose": _("Proposal (拟办意见)"), "direct": _("Leader's directive (领导批示)"),
        "handle": _("Handling (承办情况)"), "circulate": _("Circulation (传阅)"), "finish": _("Result (办结)"),
    }


def _decision_label(item: WorkItem) -> str:
    if item.status == WorkItem.Status.SENT_BACK:
        return _("Sent back")
    return {"sign_off": _("Signed off"), "joint_sign_off": _("Signed off"), "circulate": _("Read")}.get(item.step, "")


def handled_items(document: Document) -> list[WorkItem]:
    """Every handled work item of the document's processes, oldest first."""
    instances = wf_selectors.instances_for(document)
    return list(WorkItem.objects.filter(instance__in=instances, completed_at__isnull=False)
                .exclude(status__in=[WorkItem.Status.CANCELLED, WorkItem.Status.WITHDRAWN])
                .select_related("acted_by", "on_behalf_of", "unit", "department")
                .order_by("completed_at", "pk"))


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def sheet_for(document: Document):
    """The :class:`~zhengtong.documents.rendering.ProcessingSheet` of the document as it stands now."""
    from zhengtong.documents.rendering import ProcessingSheet, SheetEntry, SheetSection

    labels = _section_labels()
    incoming = document.direction == Document.Direction.INCOMING
    layout = INCOMING_SECTIONS if incoming else OUTGOING_SECTIONS
    items = handled_items(document)
    sections = []
    for key, steps in layout:
        entries = []
        for item in items:
            if item.step not in steps:
                continue
            person = item.acted_by.name if item.acted_by_id else _("The platform")
            if item.unit_id != document.unit_id:
                person = f"{person}（{item.unit.display_name}）"
            elif item.department_id and item.step in ("countersign", "co_handle", "handle"):
                person = f"{person}（{item.department.name}）"
            entries.append(SheetEntry(person=person, opinion=item.opinion, time=timezone.localtime(item.completed_at),
                                      on_behalf_of=item.on_behalf_of.name if item.on_behalf_of_id else "",
                                      decision=_decision_label(item)))
        if key == "handle":
            entries.extend(_transfer_entries(document))
            entries.sort(key=lambda entry: entry.time or timezone.now())
        sections.append(SheetSection(label=labels[key], entries=tuple(entries)))
    return ProcessingSheet(
        title=_("Incoming document processing sheet (收文处理单)") if incoming
        else _("Outgoing document draft sheet (发文稿纸)"),
        unit_name=document.unit.name, fields=tuple(_fields(document)), sections=tuple(sections),
        footer=_("Printed %(time)s") % {"time": _local(timezone.now())},
    )


def _transfer_entries(document: Document) -> list:
    """转办 (seed 004 三.3) shown among the 承办情况: from which department to which, and why."""
    from zhengtong.documents.rendering import SheetEntry
    from zhengtong.documents.services.incoming import transfers_of

    entries = []
    for row in transfers_of(document):
        text = _("Passed on from %(from)s to %(to)s: %(reason)s") % {
            "from": row["from"] or "—", "to": row["to"], "reason": row["reason"]}
        entries.append(SheetEntry(person=row["person"], opinion=text, time=timezone.localtime(row["at"]),
                                  decision=_("Passed on")))
    return entries


def _fields(document: Document) -> list[tuple[str, str]]:
    if document.direction == Document.Direction.INCOMING:
        return [
            (_("Incoming number"), document.incoming_number),
            (_("From (来文单位)"), document.source_unit_name),
            (_("Their number (来文字号)"), document.source_number),
            (pgettext("document", "Title"), document.title),
            (_("Received at"), _local(document.received_at)),
            (_("Copies"), str(document.copies or "")),
            (_("Urgency"), document.get_urgency_display()),
            (_("Lead department"), document.lead_department.name if document.lead_department_id else ""),
            (_("Deadline"), document.handling_deadline.isoformat() if document.handling_deadline else ""),
        ]
    co = "、".join(c.unit.name for c in document.co_issuers.select_related("unit"))
    fields = [
        (_("Document number"), document.number),
        (pgettext("document", "Title"), document.title),
        (pgettext("document", "Kind"), document.get_kind_display()),
        (_("Urgency"), document.get_urgency_display()),
        (_("Classification"), document.get_classification_display()),
        (_("Main recipients"), document.main_recipients),
        (_("Copies to"), document.cc),
        (_("Drafting department"), document.drafting_department.name if document.drafting_department_id else ""),
        (_("Drafter"), document.drafter.name if document.drafter_id else ""),
        (_("Signed off by"), "、".join(document.signers or [])),
    ]
    if co:
        fields.append((_("Co-issuing units"), co))
    return fields


def sheet_pdf(document: Document) -> bytes:
    """打印处理单: the sheet rendered to PDF."""
    from zhengtong.documents.rendering import render_processing_sheet

    return render_processing_sheet(sheet_for(document))
