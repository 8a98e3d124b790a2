"""Attachments (附件) of a document: any file type up to 50 MB, its name kept and its SHA-256 recorded."""

from __future__ import annotations

import hashlib
import mimetypes
import os

from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.documents.exceptions import DocumentInvalid, DocumentPermissionDenied
from zhengtong.documents.models import FILE_SIZE_LIMIT, Attachment, Document
from zhengtong.documents.services._common import may_edit_document


def _clean_name(name: str) -> str:
    name = os.path.basename(str(name or "").replace("\\", "/")).strip()
    name = "".join(char for char in name if char.isprintable())
    return name[-255:]


@transaction.atomic
def add_attachment(*, actor, document: Document, file, name: str = "") -> Attachment:
    """Attach a file to the document: whoever may edit the document at its current step may attach."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not may_edit_document(actor, document):
        raise DocumentPermissionDenied(_("You may not add attachments to this document at its current step."))
    name = _clean_name(name or getattr(file, "name", ""))
    size = getattr(file, "size", None)
    if not name:
        raise DocumentInvalid(_("The file has no name."))
    if size is None or size == 0:
        raise DocumentInvalid(_("The file %(name)s is empty.") % {"name": name})
    if size > FILE_SIZE_LIMIT:
        raise DocumentInvalid(_("The file %(name)s is larger than 50 MB.") % {"name": name})
    digest = hashlib.sha256()
    if hasattr(file, "seek"):
        file.seek(0)
    for chunk in (file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")):
        digest.update(chunk)
    if hasattr(file, "seek"):
        file.seek(0)
    content_type = (getattr(file, "content_type", "") or mimetypes.guess_type(name)[0]
                    or "application/octet-stream")
    order = (document.attachments.aggregate(last=Max("sort_order"))["last"] or 0) + 10
    attachment = Attachment(document=document, name=name, size=size, sha256=digest.hexdigest(),
                            content_type=content_type[:200], uploaded_by=actor, sort_order=order)
    attachment.file.save(name, file if isinstance(file, File) else File(file), save=False)
    attachment.save()
    audit.record(actor=actor, action="documents.attachment.add", obj=document, unit=document.unit,
                 summary=_("Attached %(name)s to %(title)s") % {"name": name, "title": document.title},
                 changes={"name": name, "size": size, "sha256": attachment.sha256})
    return attachment


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    """Remove an attachment while the document may still be edited; the file goes when the row does."""
    attachment = Attachment.objects.select_related("document__unit").get(pk=attachment.pk)
    document = attachment.document
    if not may_edit_document(actor, document):
        raise DocumentPermissionDenied(_("You may not remove attachments of this document at its current step."))
    audit.record(actor=actor, action="documents.attachment.remove", obj=document, unit=document.unit,
                 summary=_("Removed the attachment %(name)s from %(title)s") % {"name": attachment.name,
                                                                                "title": document.title},
                 changes={"name": attachment.name, "sha256": attachment.sha256})
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    if not Attachment.objects.filter(file=path).exists():
        transaction.on_commit(lambda: storage.delete(path))
