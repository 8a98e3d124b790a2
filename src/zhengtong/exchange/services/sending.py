"""Sending sealed documents to other units (电子公文发送, seed 001 第二十七条–第三十二条).

A send copies the sealed PDF and the attachments once into a ``Dispatch`` and bulk-creates one
``Delivery`` per receiving unit; one audit record covers the whole dispatch and the recipients'
clerks are notified in bulk once the transaction has committed. Also here: the sender's 催收,
saved recipient groups and the platform's exchange settings.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory import selectors as directory_selectors
from zhengtong.directory.models import Unit, UnitCategory, User
from zhengtong.documents.models import Document
from zhengtong.exchange import selectors
from zhengtong.exchange.models import (Delivery, Dispatch, DispatchAttachment, ExchangeSettings,
                                       RecipientGroup)
from zhengtong.exchange.services import ExchangePermissionDenied, ExchangeRefused
from zhengtong.workdays import selectors as workdays

MAX_COPIES = 99
NOTE_LENGTH = 1000
URGE_INTERVAL = datetime.timedelta(minutes=5)
# 密级 that never enter the exchange (seed 001 第四条(一): 密级（秘密以上）文件).
PERMITTED_CLASSIFICATIONS = {Document.Classification.NONE, Document.Classification.INTERNAL}


def notify(**kwargs) -> None:
    """Hand notices to the notifications app (called on commit)."""
    from zhengtong.notifications.services import notify as send_notice

    send_notice(**kwargs)


def is_urgent(dispatch: Dispatch) -> bool:
    return dispatch.urgency in selectors.URGENT


def due_at_for(*, category: str, sent_at: datetime.datetime, exchange_day: datetime.date,
               config: ExchangeSettings) -> datetime.datetime:
    """When a delivery must be received.

    seed 002 第八条: a notice within ``notice_overdue_minutes`` (10) of delivery; seed 000 and
    seed 001 第三十条/第三十三条: a document by the end of the last receiving window of its exchange day.
    """
    if category == Dispatch.Category.NOTICE:
        return sent_at + datetime.timedelta(minutes=config.notice_overdue_minutes)
    calendar = workdays.working_calendar()
    slots = calendar.windows_on(exchange_day)
    if slots:
        return slots[-1].ends_at
    return datetime.datetime.combine(exchange_day, datetime.time(17, 30), calendar.tz)


def _unit_ids(values: Iterable) -> list[int]:
    ids: list[int] = []
    for value in values or ():
        try:
            ids.append(int(getattr(value, "pk", value)))
        except (TypeError, ValueError):
            raise ExchangeRefused(_("Choose the receiving units from the list.")) from None
    return ids


def _copies_for(copies, unit_ids: list[int], default: int) -> dict[int, int]:
    if copies is None or copies == "":
        return {pk: default for pk in unit_ids}
    if isinstance(copies, dict):
        given = {int(getattr(key, "pk", key)): value for key, value in copies.items()}
        result = {pk: given.get(pk, default) for pk in unit_ids}
    else:
        result = {pk: copies for pk in unit_ids}
    for pk, value in result.items():
        try:
            result[pk] = int(value)
        except (TypeError, ValueError):
            raise ExchangeRefused(_("The number of copies must be a whole number from 1 to 99.")) from None
        if not 1 <= result[pk] <= MAX_COPIES:
            raise ExchangeRefused(_("The number of copies must be a whole number from 1 to 99."))
    return result


def _check_sendable(document: Document, config: ExchangeSettings) -> None:
    problems = []
    if document.direction != Document.Direction.OUTGOING:
        problems.append(_("Only the unit's own outgoing documents are sent."))
    if not document.sealed_pdf:
        problems.append(_("The document has not been sealed yet: seal it before sending (第二十九条)."))
    if document.status == Document.Status.CANCELLED:
        problems.append(_("The document was cancelled."))
    if document.classification not in PERMITTED_CLASSIFICATIONS:
        problems.append(_("Classified documents (秘密 and above) are not exchanged (seed 001 第四条)."))
    if document.urgency in selectors.URGENT and not config.allow_urgent:
        problems.append(_("Urgent documents (急件、特急件) are not exchanged on this platform: deliver it on paper "
                          "(seed 001 第四条)."))
    if problems:
        raise ExchangeRefused(problems)


def send_document(*, actor: User, document: Document, main_units: Iterable, copy_units: Iterable = (),
                  copies: int | dict | None = None, category: str = Dispatch.Category.DOCUMENT, note: str = "",
                  contact: str = "", at: datetime.datetime | None = None) -> Dispatch:
    """Send a sealed document to its 主送 and 抄送 units (第三十一条), with the copies each may print.

    The send time is when sending completes (第三十二条); before 15:00 on a working day it counts
    for that day, otherwise for the next working day (第三十条). A refusal (not sealed, classified,
    urgent when not allowed, a dissolved or merged unit…) changes nothing and is audited.
    """
    try:
        return _send_document(actor=actor, document=document, main_units=main_units, copy_units=copy_units,
                              copies=copies, category=category, note=note, contact=contact, at=at)
    except ExchangeRefused as refusal:
        with transaction.atomic():
            audit.record(actor=actor, action="exchange.dispatch.refuse", obj=document, unit=document.unit,
                         summary=_("Sending refused: %(title)s") % {"title": document.title},
                         changes={"document": document.pk, "reasons": [str(m) for m in refusal.messages]})
        raise


@transaction.atomic
def _send_document(*, actor, document, main_units, copy_units, copies, category, note, contact, at) -> Dispatch:
    if not selectors.may_send(actor, document.unit):
        raise ExchangePermissionDenied(_("Only the unit's clerk or seal keeper sends its documents."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    config = ExchangeSettings.load()
    _check_sendable(document, config)
    if category not in Dispatch.Category.values:
        raise ExchangeRefused(_("Choose whether it is a document or a notice."))
    main_ids, copy_ids = _unit_ids(main_units), _unit_ids(copy_units)
    problems = []
    if not main_ids:
        problems.append(_("Choose at least one main recipient (主送单位)."))
    every = main_ids + copy_ids
    if len(set(every)) != len(every):
        problems.append(_("A unit is chosen twice: each unit receives the document once, as main or copy "
                          "recipient."))
    if document.unit_id in every:
        problems.append(_("Your own unit is not a recipient."))
    units = {unit.pk: unit for unit in Unit.objects.filter(pk__in=set(every))}
    if len(units) != len(set(every)):
        problems.append(_("Choose the receiving units from the list."))
    ended = [unit.name for unit in units.values() if unit.status != Unit.Status.ACTIVE]
    if ended:
        problems.append(_("These units were dissolved or merged and receive nothing: %(names)s")
                        % {"names": "、".join(sorted(ended))})
    note, contact = (note or "").strip(), (contact or "").strip()
    if len(note) > NOTE_LENGTH:
        problems.append(_("The note is too long (at most 1000 characters)."))
    if len(contact) > 100:
        problems.append(_("The contact is too long (at most 100 characters)."))
    if problems:
        raise ExchangeRefused(problems)
    allowed = _copies_for(copies, list(dict.fromkeys(every)), config.default_copies)

    sent_at = at or timezone.now()
    exchange_day = workdays.exchange_day(sent_at)
    due_at = due_at_for(category=category, sent_at=sent_at, exchange_day=exchange_day, config=config)
    with document.sealed_pdf.open("rb") as handle:
        data = handle.read()
    dispatch = Dispatch(sender_unit=document.unit, document=document, category=category, title=document.title,
                        number=document.number, kind=document.kind, urgency=document.urgency,
                        sha256=hashlib.sha256(data).hexdigest(), note=note, contact=contact, sent_by=actor,
                        sent_at=sent_at, exchange_day=exchange_day, recipient_count=len(every))
    dispatch.pdf.save(f"{(document.number or 'document').replace('/', '-')}-{dispatch.sha256[:12]}.pdf",
                      ContentFile(data), save=False)
    dispatch.save()
    for index, attachment in enumerate(document.attachments.all()):
        with attachment.file.open("rb") as handle:
            content = handle.read()
        copy = DispatchAttachment(dispatch=dispatch, name=attachment.name, size=len(content),
                                  sha256=hashlib.sha256(content).hexdigest(), sort_order=index)
        copy.file.save(os.path.basename(attachment.file.name), ContentFile(content), save=False)
        copy.save()
    Delivery.objects.bulk_create(
        [Delivery(dispatch=dispatch, unit_id=pk, role=Delivery.Role.MAIN, copies_allowed=allowed[pk],
                  delivered_at=sent_at, due_at=due_at) for pk in main_ids]
        + [Delivery(dispatch=dispatch, unit_id=pk, role=Delivery.Role.COPY, copies_allowed=allowed[pk],
                    delivered_at=sent_at, due_at=due_at) for pk in copy_ids],
        batch_size=500)
    audit.record(actor=actor, action="exchange.dispatch.send", obj=dispatch, unit=document.unit,
                 summary=_("Sent %(title)s to %(count)d units") % {"title": document.title, "count": len(every)},
                 changes={"document": document.pk, "number": document.number, "category": category,
                          "urgency": document.urgency, "main": main_ids, "copy": copy_ids,
                          "copies": sorted(set(allowed.values())), "exchange_day": exchange_day.isoformat(),
                          "sha256": dispatch.sha256})
    transaction.on_commit(lambda: _notify_recipients(dispatch.pk))
    return dispatch


def _notify_recipients(dispatch_pk: int) -> None:
    """All recipient clerks in one bulk notice; SMS as well for urgent documents (seed 004)."""
    dispatch = Dispatch.objects.select_related("sender_unit").get(pk=dispatch_pk)
    config = ExchangeSettings.load()
    urgent = is_urgent(dispatch)
    unit_ids = dispatch.deliveries.values_list("unit_id", flat=True)
    channels = ("portal", "email", "sms") if urgent and config.sms_for_urgent else ("portal", "email")
    if dispatch.is_notice:
        title = _("Notice to receive within %(minutes)d minutes: %(title)s") % {
            "minutes": config.notice_overdue_minutes, "title": dispatch.title}
    else:
        title = _("Document to receive: %(title)s") % {"title": dispatch.title}
    notify(recipients=selectors.clerks_of(unit_ids), category="exchange.delivery", title=title,
           body=_("From %(sender)s %(number)s") % {"sender": dispatch.sender_unit.name, "number": dispatch.number},
           url=reverse("exchange:inbox"), urgent=urgent, key=f"exchange.dispatch.{dispatch.pk}", channels=channels)


@transaction.atomic
def urge(*, actor: User, delivery: Delivery, at: datetime.datetime | None = None) -> Delivery:
    """催收: the sender reminds a receiving unit that has not received yet (seed 000, 002 第八条.4).

    The unit's clerks get an urgent portal notice, and an SMS when the document is urgent or a notice.
    """
    delivery = Delivery.objects.select_for_update().select_related("dispatch", "unit").get(pk=delivery.pk)
    dispatch = delivery.dispatch
    if not selectors.may_track(actor, dispatch.sender_unit) or not (
            selectors.may_send(actor, dispatch.sender_unit)
            or directory_selectors.role_codes_in(actor, dispatch.sender_unit) & {roles.PRINCIPAL_LEADER,
                                                                                 roles.DEPUTY_LEADER}):
        raise ExchangePermissionDenied(_("Only the sending unit's clerks and leaders urge a receipt."))
    if delivery.status != Delivery.Status.PENDING or delivery.signed_at:
        raise ExchangeRefused(_("%(unit)s has already dealt with it: nothing to urge.") % {"unit": delivery.unit.name})
    now = at or timezone.now()
    if delivery.last_urged_at and now - delivery.last_urged_at < URGE_INTERVAL:
        raise ExchangeRefused(_("%(unit)s was urged a moment ago; wait a few minutes before urging again.")
                              % {"unit": delivery.unit.name})
    delivery.urge_count += 1
    delivery.last_urged_at = now
    delivery.save(update_fields=["urge_count", "last_urged_at"])
    audit.record(actor=actor, action="exchange.delivery.urge", obj=delivery, unit=dispatch.sender_unit,
                 summary=_("Urged %(unit)s to receive %(title)s") % {"unit": delivery.unit.name,
                                                                    "title": dispatch.title},
                 changes={"dispatch": dispatch.pk, "unit": delivery.unit_id, "times": delivery.urge_count})
    sms = ExchangeSettings.load().sms_for_urgent and (is_urgent(dispatch) or dispatch.is_notice)
    url = reverse("exchange:delivery", args=[delivery.pk])
    title = _("Please receive: %(title)s (urged by %(sender)s)") % {"title": dispatch.title,
                                                                    "sender": dispatch.sender_unit.name}
    transaction.on_commit(lambda: notify(
        recipients=selectors.clerks_of([delivery.unit_id]), category="exchange.urge", title=title, url=url,
        urgent=True, unit=delivery.unit, channels=("portal", "email", "sms") if sms else ("portal", "email")))
    return delivery


# --- recipient groups ---------------------------------------------------------------------------

def _clean_group(*, name: str, units: Iterable, categories: Iterable, owner_unit) -> tuple[str, list, list]:
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append(_("Give the group a name."))
    elif len(name) > 60:
        problems.append(_("The name is too long (at most 60 characters)."))
    unit_ids = _unit_ids(units)
    unit_rows = list(Unit.objects.filter(pk__in=unit_ids))
    if len(unit_rows) != len(set(unit_ids)):
        problems.append(_("Choose the receiving units from the list."))
    ended = [unit.name for unit in unit_rows if unit.status != Unit.Status.ACTIVE]
    if ended:
        problems.append(_("These units were dissolved or merged and receive nothing: %(names)s")
                        % {"names": "、".join(sorted(ended))})
    category_rows = list(UnitCategory.objects.filter(pk__in=[getattr(c, "pk", c) for c in categories or ()]))
    if not unit_rows and not category_rows:
        problems.append(_("Choose the units or categories of the group."))
    if problems:
        raise ExchangeRefused(problems)
    return name, unit_rows, category_rows


def _require_group_right(actor, owner_unit) -> None:
    if owner_unit is None:
        if not selectors.is_operator(actor):
            raise ExchangePermissionDenied(_("Only the platform operator keeps the platform's groups."))
    elif not (selectors.may_send(actor, owner_unit)
              or directory_selectors.has_role(actor, owner_unit, roles.UNIT_ADMIN)):
        raise ExchangePermissionDenied(_("Only the unit's clerk, seal keeper or admin keeps its groups."))


@transaction.atomic
def create_group(*, actor: User, owner_unit: Unit | None, name: str, units: Iterable = (),
                 categories: Iterable = ()) -> RecipientGroup:
    """A saved group of receiving units (e.g. 全部乡镇街道): the unit's own, or the platform's (operator)."""
    _require_group_right(actor, owner_unit)
    name, unit_rows, category_rows = _clean_group(name=name, units=units, categories=categories,
                                                  owner_unit=owner_unit)
    group = RecipientGroup.objects.create(owner_unit=owner_unit, name=name, created_by=actor)
    group.units.set(unit_rows)
    group.categories.set(category_rows)
    audit.record(actor=actor, action="exchange.group.create", obj=group, unit=owner_unit,
                 summary=_("Saved the recipient group %(name)s") % {"name": name},
                 changes={"units": [u.pk for u in unit_rows], "categories": [c.pk for c in category_rows]})
    return group


@transaction.atomic
def update_group(*, actor: User, group: RecipientGroup, name: str, units: Iterable = (),
                 categories: Iterable = ()) -> RecipientGroup:
    """Change a saved group's name, units and categories."""
    _require_group_right(actor, group.owner_unit)
    name, unit_rows, category_rows = _clean_group(name=name, units=units, categories=categories,
                                                  owner_unit=group.owner_unit)
    before = {"name": group.name, "units": sorted(group.units.values_list("pk", flat=True)),
              "categories": sorted(group.categories.values_list("pk", flat=True))}
    group.name = name
    group.save(update_fields=["name"])
    group.units.set(unit_rows)
    group.categories.set(category_rows)
    audit.record(actor=actor, action="exchange.group.update", obj=group, unit=group.owner_unit,
                 summary=_("Changed the recipient group %(name)s") % {"name": name},
                 changes={"name": [before["name"], name], "units": [before["units"], sorted(u.pk for u in unit_rows)],
                          "categories": [before["categories"], sorted(c.pk for c in category_rows)]})
    return group


@transaction.atomic
def delete_group(*, actor: User, group: RecipientGroup) -> None:
    """Remove a saved group (dispatches already sent keep their recipients)."""
    _require_group_right(actor, group.owner_unit)
    audit.record(actor=actor, action="exchange.group.delete", obj=group, unit=group.owner_unit,
                 summary=_("Removed the recipient group %(name)s") % {"name": group.name})
    group.delete()


# --- settings -------------------------------------------------------------------------------------

SETTING_FIELDS = ["allow_urgent", "sms_for_urgent", "notice_alert_minutes", "notice_sms_minutes",
                  "notice_overdue_minutes", "default_copies"]


@transaction.atomic
def update_settings(*, actor: User, **values) -> ExchangeSettings:
    """The platform operator changes the exchange rules (urgent documents, the notice minutes, copies)."""
    if not selectors.is_operator(actor):
        raise ExchangePermissionDenied(_("Only the platform operator changes the exchange settings."))
    config = ExchangeSettings.objects.select_for_update().get(pk=ExchangeSettings.load().pk)
    before = {name: getattr(config, name) for name in SETTING_FIELDS}
    for name, value in values.items():
        if name not in SETTING_FIELDS:
            raise TypeError(name)
        setattr(config, name, value)
    problems = []
    if not 1 <= config.notice_alert_minutes <= config.notice_sms_minutes <= config.notice_overdue_minutes:
        problems.append(_("The notice minutes must go up: alert, then SMS, then overdue (e.g. 5, 8, 10)."))
    if config.notice_overdue_minutes > 24 * 60:
        problems.append(_("A notice must be overdue within a day."))
    if not 1 <= config.default_copies <= MAX_COPIES:
        problems.append(_("The number of copies must be a whole number from 1 to 99."))
    if problems:
        raise ExchangeRefused(problems)
    config.updated_by = actor
    config.save()
    audit.record(actor=actor, action="exchange.settings.update", obj=config,
                 summary=_("Changed the exchange settings"),
                 changes={name: [before[name], getattr(config, name)] for name in SETTING_FIELDS
                          if before[name] != getattr(config, name)})
    return config
