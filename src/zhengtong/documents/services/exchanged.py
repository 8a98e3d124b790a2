"""收文 of an electronically exchanged document (seed 001 第三十五条: 按常规收文进行登记).

When a clerk signs for a delivery (签收), the document enters the unit's 收文登记簿 with the next
number and starts the shouwen process, exactly as a registered paper document does; the sealed PDF
as it was sent (and its attachments) become the document's attachments.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.directory.models import Unit, User
from zhengtong.documents.models import Classification, Document, Kind, Urgency
from zhengtong.documents.services.incoming import register_paper_document


def _file(field, name: str) -> ContentFile:
    with field.open("rb") as handle:
        return ContentFile(handle.read(), name=name)


@transaction.atomic
def register_exchanged_document(*, actor: User, unit: Unit, dispatch, delivery) -> Document:
    """Register a signed-for delivery as the unit's 收文 and start its shouwen process (初审 next).

    Only the unit's clerk registers (checked by ``register_paper_document``); the source unit,
    its number, the urgency and the copies allowed come from the dispatch.
    """
    sender = dispatch.sender_unit
    base = (dispatch.number or dispatch.title or "document").replace("/", "-")[:80]
    files = [_file(dispatch.pdf, f"{base}.pdf")]
    files += [_file(attachment.file, attachment.name) for attachment in dispatch.attachments.all()]
    classification = getattr(dispatch.document, "classification", Classification.NONE)
    if classification not in Classification.values:
        classification = Classification.NONE
    notes = _("Received through the document exchange (电子公文交换) on %(date)s; SHA-256 %(sha)s") % {
        "date": timezone.localtime(delivery.signed_at or timezone.now()).strftime("%Y-%m-%d %H:%M"),
        "sha": dispatch.sha256[:16]}
    return register_paper_document(
        actor=actor, unit=unit, title=dispatch.title,
        kind=dispatch.kind if dispatch.kind in Kind.values else Kind.NOTICE,
        source_unit_name=sender.name, source_number=dispatch.number, copies=max(1, delivery.copies_allowed),
        urgency=dispatch.urgency if dispatch.urgency in Urgency.values else Urgency.NORMAL,
        classification=classification, received_at=delivery.received_at or delivery.signed_at,
        main_recipients=dispatch.document.main_recipients if dispatch.document_id else "",
        notes=notes, files=files, submit=True)
