"""Helpers shared by the documents services: permission checks and element validation."""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from zhengtong.directory import roles
from zhengtong.directory import selectors as directory_selectors
from zhengtong.documents.exceptions import DocumentPermissionDenied
from zhengtong.documents.models import Document
from zhengtong.workflow import selectors as workflow_selectors
from zhengtong.workflow.models import WorkItem

# Roles that see and keep every document of their unit (登记、核稿、签发、管理).
OFFICER_ROLES = {roles.CLERK, roles.CHECKER, roles.DEPUTY_LEADER, roles.PRINCIPAL_LEADER, roles.UNIT_ADMIN}
# Roles that take and void document numbers (编号).
NUMBER_ROLES = {roles.CLERK, roles.CHECKER, roles.UNIT_ADMIN}

# seed 000 and seed 001 第四条: 涉密公文（秘密、机密、绝密）不得在平台上处理. A marking such as
# "秘密★1年" or a line that is only a classification word is refused, in the title or the body.
SECRET_MARKING = re.compile(r"(绝密|机密|秘密)\s*[★☆\*＊]|^\s*(绝密|机密|秘密)\s*$|(绝密|机密|秘密)\s*(★|☆)?\s*\d+\s*年", re.M)
SECRET_WORDS = {"secret", "confidential", "top_secret", "秘密", "机密", "绝密"}


def is_member(user, unit) -> bool:
    return bool(user and user.is_authenticated) and directory_selectors.units_of(user).filter(pk=unit.pk).exists()


def is_officer(user, unit) -> bool:
    """Clerks, checkers, leaders and admins of the unit see all its documents."""
    return is_member(user, unit) and bool(directory_selectors.role_codes_in(user, unit) & OFFICER_ROLES)


def may_take_numbers(user, unit) -> bool:
    return is_member(user, unit) and bool(directory_selectors.role_codes_in(user, unit) & NUMBER_ROLES)


def is_unit_admin(user, unit) -> bool:
    return is_member(user, unit) and directory_selectors.has_role(user, unit, roles.UNIT_ADMIN)


def document_type() -> ContentType:
    return ContentType.objects.get_for_model(Document)


def holds_open_item(user, document: Document) -> bool:
    """Whether the person may act on an open work item of the document now (asks the workflow app)."""
    return bool(workflow_selectors.open_items_for(user, document))


def participant_document_ids(user) -> QuerySet:
    """Ids of documents the person takes part in through a work item (candidate, actor or principal)."""
    return (WorkItem.objects.filter(instance__subject_type=document_type())
            .filter(Q(candidates=user) | Q(acted_by=user) | Q(on_behalf_of=user))
            .annotate(document_id=Cast("instance__subject_id", BigIntegerField()))
            .values("document_id"))


def require_member(actor, unit) -> None:
    if not is_member(actor, unit):
        raise DocumentPermissionDenied(_("You may only draft documents of a unit you work in."))


def require_unit_admin(actor, unit) -> None:
    if not is_unit_admin(actor, unit):
        raise DocumentPermissionDenied(_("Only the unit's system administrator may manage this."))


def may_edit_document(user, document: Document) -> bool:
    """The drafter while the document is a draft; whoever holds its open work item (seed 004 三.1)."""
    if not (user and user.is_authenticated):
        return False
    if document.status in (Document.Status.ARCHIVED, Document.Status.CANCELLED, Document.Status.DISTRIBUTED,
                           Document.Status.FINISHED):
        return False
    if document.status == Document.Status.DRAFT and document.drafter_id == user.pk:
        return True
    if document.direction == Document.Direction.INCOMING and is_officer(user, document.unit) \
            and directory_selectors.has_role(user, document.unit, roles.CLERK):
        return True
    return holds_open_item(user, document)


def contains_secret_marking(text: str) -> bool:
    return bool(SECRET_MARKING.search(text or ""))
