"""Pages of the exchange core: the clerk's inbox (待收), a delivery, sending, tracking, groups, settings."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.documents import selectors as document_selectors
from zhengtong.exchange import selectors
from zhengtong.exchange.forms import GroupForm, ReturnForm, SendForm, SettingsForm
from zhengtong.exchange.models import Delivery, Dispatch, DispatchAttachment
from zhengtong.exchange.services import ExchangePermissionDenied, ExchangeRefused, receiving, sending

logger = logging.getLogger(__name__)
VERIFY_CACHE_SECONDS = 600


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(message) for message in exc.messages)
    return str(exc) or _("You may not do this.")


def _unit(request):
    return getattr(request, "unit", None)


def _render(request, template: str, context: dict, status: int = 200):
    """Render with what the tabs need: which of the exchange's lists this person sees."""
    unit = _unit(request)
    tabs = {"may_receive": selectors.may_receive(request.user, unit),
            "may_track": selectors.may_track(request.user, unit),
            "is_operator": selectors.is_operator(request.user)}
    if "pending_count" not in context and tabs["may_receive"]:
        context["pending_count"] = selectors.pending_count(unit)
    return render(request, template, {**tabs, **context}, status=status)


# --- landing ----------------------------------------------------------------------------------

@login_required
def index(request):
    """公文交换: the clerk's inbox; the sent list for senders and leaders; the settings for an operator."""
    unit = _unit(request)
    if selectors.may_receive(request.user, unit):
        return redirect("exchange:inbox")
    if selectors.may_track(request.user, unit):
        return redirect("exchange:sent")
    if selectors.is_operator(request.user):
        return redirect("exchange:settings")
    raise Http404


# --- receiving side -----------------------------------------------------------------------------

LISTS = {
    "inbox": (Delivery.Status.PENDING, "exchange/inbox.html"),
    "received": (Delivery.Status.SIGNED, "exchange/inbox.html"),
    "returned": (Delivery.Status.RETURNED, "exchange/inbox.html"),
}


def _deliveries(request, name: str):
    unit = _unit(request)
    if not selectors.may_receive(request.user, unit):
        raise Http404
    status, template = LISTS[name]
    q = (request.GET.get("q") or "").strip()[:100]
    pending_count = selectors.pending_count(unit)
    rows = selectors.inbox(request.user, unit, status=status, q=q,
                           prioritise=pending_count <= selectors.PRIORITY_SORT_LIMIT)
    page = selectors.page_of(rows, request.GET.get("page"))
    now = timezone.now()
    for row in page.rows:
        row.overdue = selectors.is_overdue(row, now)
        row.waiting_minutes = int((now - row.delivered_at).total_seconds() // 60)
    return _render(request, template, {
        "active": name, "page": page, "q": q, "query": urlencode({"q": q}) if q else "",
        "pending_count": pending_count, "unit": unit, "now": now,
    })


@login_required
def inbox(request):
    return _deliveries(request, "inbox")


@login_required
def received(request):
    return _deliveries(request, "received")


@login_required
def returned(request):
    return _deliveries(request, "returned")


def seal_report(dispatch: Dispatch) -> dict | None:
    """The seals of the dispatch's PDF as the platform's verifier sees them, cached per SHA-256."""
    try:
        from zhengtong.seals.verification import verify_pdf
    except ImportError:
        return None
    key = f"exchange:verify:{dispatch.sha256}"
    found = cache.get(key)
    if found is not None:
        return found
    try:
        with dispatch.pdf.open("rb") as handle:
            report = verify_pdf(handle.read())
    except Exception:  # the page must show even when the verifier fails on an odd file
        logger.exception("verifying dispatch %s failed", dispatch.pk)
        return None
    result = {
        "ok": bool(report.ok), "problems": [str(problem) for problem in getattr(report, "problems", [])],
        "seals": [{"unit": getattr(seal, "unit_name", ""), "name": getattr(seal, "seal_name", ""),
                   "signed_at": getattr(seal, "signed_at", None),
                   "ok": all(getattr(seal, attr, True) for attr in ("intact", "trusted"))
                   and not getattr(seal, "revoked", None)}
                  for seal in getattr(report, "seals", [])],
    }
    cache.set(key, result, VERIFY_CACHE_SECONDS)
    return result


@login_required
def delivery_detail(request, pk: int):
    """One delivery: the sealed PDF, its seals, attachments, and the buttons 核对, 签收, 退回 and print."""
    delivery = selectors.delivery_for(request.user, pk)
    try:
        delivery = receiving.open_delivery(actor=request.user, delivery=delivery)
    except ExchangePermissionDenied:
        raise Http404 from None
    delivery = selectors.delivery_for(request.user, pk)
    dispatch = delivery.dispatch
    return _render(request, "exchange/delivery_detail.html", {
        "delivery": delivery, "dispatch": dispatch, "attachments": dispatch.attachments.all(),
        "overdue": selectors.is_overdue(delivery), "seals": seal_report(dispatch),
        "return_form": ReturnForm(), "active": "inbox",
    })


def _pdf_response(dispatch: Dispatch, request) -> FileResponse:
    download = request.GET.get("download") == "1"
    name = f"{(dispatch.number or dispatch.title)[:80]}.pdf".replace("/", "-")
    response = FileResponse(dispatch.pdf.open("rb"), content_type="application/pdf", as_attachment=download,
                            filename=name)
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@login_required
def delivery_pdf(request, pk: int):
    """The sealed PDF for reading on screen (reading is not receiving: 第三十七条 counts prints and the API)."""
    delivery = selectors.delivery_for(request.user, pk)
    return _pdf_response(delivery.dispatch, request)


@login_required
def delivery_attachment(request, pk: int, attachment_pk: int):
    delivery = selectors.delivery_for(request.user, pk)
    attachment = get_object_or_404(DispatchAttachment, dispatch=delivery.dispatch, pk=attachment_pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


def _act(request, pk: int, action):
    delivery = selectors.delivery_for(request.user, pk)
    try:
        result = action(delivery)
    except ExchangePermissionDenied:
        raise Http404 from None
    except ExchangeRefused as refusal:
        messages.error(request, _message(refusal))
        return None, delivery
    return result, delivery


@login_required
@require_POST
def delivery_check(request, pk: int):
    result, delivery = _act(request, pk, lambda d: receiving.check_delivery(actor=request.user, delivery=d))
    if result is not None:
        messages.success(request, _("Checked: you may now print it or sign for it."))
    return redirect("exchange:delivery", pk=delivery.pk)


@login_required
@require_POST
def delivery_sign(request, pk: int):
    document, delivery = _act(request, pk, lambda d: receiving.sign_for(actor=request.user, delivery=d))
    if document is None:
        return redirect("exchange:delivery", pk=delivery.pk)
    messages.success(request, _("Signed for and registered as %(number)s; it is now in the unit's 收文 processing.")
                     % {"number": document.incoming_number})
    return redirect("exchange:inbox")


@login_required
@require_POST
def delivery_return(request, pk: int):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        delivery = selectors.delivery_for(request.user, pk)
        messages.error(request, _("Give the reason for returning it, so the sender can put it right."))
        return redirect("exchange:delivery", pk=delivery.pk)
    result, delivery = _act(request, pk, lambda d: receiving.return_delivery(
        actor=request.user, delivery=d, reason=form.cleaned_data["reason"]))
    if result is None:
        return redirect("exchange:delivery", pk=delivery.pk)
    messages.success(request, _("Returned to %(sender)s.") % {"sender": delivery.dispatch.sender_unit.name})
    return redirect("exchange:inbox")


# --- sending side -------------------------------------------------------------------------------

def _group_data(request, unit) -> list[dict]:
    return [{"pk": group.pk, "name": group.name, "platform": group.owner_unit_id is None,
             "units": selectors.group_unit_ids(group)} for group in selectors.groups_for(request.user, unit)]


@login_required
def send(request, document_pk: int):
    """发送: choose 主送 and 抄送 units from the tree or saved groups, copies per unit, category and note."""
    document = document_selectors.document_for(request.user, document_pk)
    if not selectors.may_send(request.user, document.unit):
        raise Http404
    tree = selectors.recipient_tree(exclude=document.unit)
    unit_ids = [unit.pk for group in tree for unit, _depth in group["units"]]
    config = selectors.exchange_settings()
    status = 200
    if request.method == "POST":
        form = SendForm(request.POST, unit_ids=unit_ids)
        if form.is_valid():
            data = form.cleaned_data
            try:
                dispatch = sending.send_document(
                    actor=request.user, document=document, main_units=data["main"], copy_units=data["copy"],
                    copies=form.copies(), category=data["category"], note=data["note"], contact=data["contact"])
            except ExchangePermissionDenied:
                raise Http404 from None
            except ExchangeRefused as refusal:
                form.add_error(None, list(refusal.messages))
            else:
                messages.success(request, _("Sent to %(count)d units. Follow the receipts here.")
                                 % {"count": dispatch.recipient_count})
                return redirect("exchange:tracking", pk=dispatch.pk)
        status = 400
    else:
        # seed 002 第八条: 通知 and 会议通知 are the notice category (opened within 10 minutes).
        category = Dispatch.Category.NOTICE if document.kind == "notice" else Dispatch.Category.DOCUMENT
        form = SendForm(unit_ids=unit_ids, initial={"default_copies": config.default_copies, "category": category})
    chosen_main = set(form["main"].value() or []) if form.is_bound else set()
    chosen_copy = set(form["copy"].value() or []) if form.is_bound else set()
    now = timezone.now()
    groups_data = _group_data(request, document.unit)
    from zhengtong.workdays import selectors as workdays

    return _render(request, "exchange/send_form.html", {
        "document": document, "form": form, "tree": tree, "config": config,
        "groups": groups_data, "groups_json": groups_data,
        "chosen_main": {str(pk) for pk in chosen_main}, "chosen_copy": {str(pk) for pk in chosen_copy},
        "copies_given": {key[7:]: value for key, value in request.POST.items() if key.startswith("copies_")},
        "exchange_day": workdays.exchange_day(now), "after_cutoff": workdays.exchange_day(now) != timezone.localdate(),
        "previous": Dispatch.objects.filter(document=document).order_by("-sent_at")[:5], "active": "sent",
    }, status=status)


@login_required
def sent(request):
    """已发送: the unit's dispatches with their receipt counts."""
    unit = _unit(request)
    if not selectors.may_track(request.user, unit):
        raise Http404
    q = (request.GET.get("q") or "").strip()[:100]
    rows = selectors.sent_by_unit(unit)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(number__icontains=q))
    page = selectors.page_of(rows, request.GET.get("page"))
    selectors.with_receipt_counts(page.rows)
    return _render(request, "exchange/sent_list.html", {
        "active": "sent", "page": page, "q": q, "query": urlencode({"q": q}) if q else "", "unit": unit,
        "pending_count": selectors.pending_count(unit) if selectors.may_receive(request.user, unit) else None,
    })


@login_required
def tracking(request, pk: int):
    """The sender's tracking page: per recipient delivered / opened / signed / printed n of m / returned."""
    dispatch = selectors.dispatch_for(request.user, pk)
    now = timezone.now()
    deliveries = list(selectors.deliveries_of(dispatch))
    for row in deliveries:
        row.overdue = selectors.is_overdue(row, now)
    filter_by = request.GET.get("show", "")
    shown = {
        "pending": [d for d in deliveries if d.status == Delivery.Status.PENDING],
        "overdue": [d for d in deliveries if d.overdue],
        "unopened": [d for d in deliveries if not d.opened_at],
        "signed": [d for d in deliveries if d.status == Delivery.Status.SIGNED],
        "returned": [d for d in deliveries if d.status == Delivery.Status.RETURNED],
    }.get(filter_by, deliveries)
    return _render(request, "exchange/tracking.html", {
        "dispatch": dispatch, "deliveries": shown, "summary": selectors.tracking_summary(dispatch, deliveries, now),
        "show": filter_by, "may_urge": selectors.may_send(request.user, dispatch.sender_unit)
        or selectors.may_track(request.user, dispatch.sender_unit),
        "attachments": dispatch.attachments.all(), "active": "sent", "now": now,
    })


@login_required
def dispatch_pdf(request, pk: int):
    dispatch = selectors.dispatch_for(request.user, pk)
    return _pdf_response(dispatch, request)


@login_required
@require_POST
def urge(request, pk: int, delivery_pk: int):
    dispatch = selectors.dispatch_for(request.user, pk)
    delivery = get_object_or_404(Delivery, dispatch=dispatch, pk=delivery_pk)
    try:
        sending.urge(actor=request.user, delivery=delivery)
    except ExchangePermissionDenied:
        raise PermissionDenied from None
    except ExchangeRefused as refusal:
        messages.error(request, _message(refusal))
    else:
        messages.success(request, _("%(unit)s has been urged.") % {"unit": delivery.unit.name})
    return redirect(reverse("exchange:tracking", args=[dispatch.pk]) + "#recipients")


@login_required
@require_POST
def urge_all(request, pk: int):
    """催收 every recipient still waiting past its due time."""
    dispatch = selectors.dispatch_for(request.user, pk)
    now = timezone.now()
    count = 0
    problems = []
    for delivery in selectors.deliveries_of(dispatch).filter(status=Delivery.Status.PENDING):
        if not selectors.is_overdue(delivery, now):
            continue
        try:
            sending.urge(actor=request.user, delivery=delivery)
        except ExchangePermissionDenied:
            raise PermissionDenied from None
        except ExchangeRefused as refusal:
            problems.append(_message(refusal))
        else:
            count += 1
    if count:
        messages.success(request, _("%(count)d units have been urged.") % {"count": count})
    elif problems:
        messages.error(request, problems[0])
    else:
        messages.info(request, _("Nobody is overdue."))
    return redirect(reverse("exchange:tracking", args=[dispatch.pk]) + "#recipients")


# --- groups and settings ------------------------------------------------------------------------

def _group_context(request) -> dict:
    unit = _unit(request)
    return {"unit": unit, "may_keep_own": unit is not None and (selectors.may_send(request.user, unit)
                                                                or selectors.may_track(request.user, unit)),
            "is_operator": selectors.is_operator(request.user)}


@login_required
def groups(request):
    """常用分组: the unit's saved groups and the platform's (the operator keeps those)."""
    context = _group_context(request)
    if not (context["may_keep_own"] or context["is_operator"]):
        raise Http404
    rows = list(selectors.groups_for(request.user, context["unit"] if context["may_keep_own"] else None))
    for group in rows:
        group.unit_count = len(selectors.group_unit_ids(group))
        group.editable = selectors.may_edit_group(request.user, group)
    return _render(request, "exchange/group_list.html", {**context, "groups": rows, "active": "groups"})


def _group_form(request, group=None):
    context = _group_context(request)
    platform = request.GET.get("platform") == "1" or (group is not None and group.owner_unit_id is None)
    if platform and not context["is_operator"]:
        raise Http404
    if not platform and group is None and not selectors.may_send(request.user, context["unit"]):
        from zhengtong.directory import roles
        from zhengtong.directory.selectors import has_role

        if not has_role(request.user, context["unit"], roles.UNIT_ADMIN):
            raise Http404
    owner = None if platform else (group.owner_unit if group is not None else context["unit"])
    status = 200
    if request.method == "POST":
        form = GroupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if group is None:
                    saved = sending.create_group(actor=request.user, owner_unit=owner, name=data["name"],
                                                 units=data["units"], categories=data["categories"])
                else:
                    saved = sending.update_group(actor=request.user, group=group, name=data["name"],
                                                 units=data["units"], categories=data["categories"])
            except ExchangePermissionDenied:
                raise Http404 from None
            except ExchangeRefused as refusal:
                form.add_error(None, list(refusal.messages))
            else:
                messages.success(request, _("The group “%(name)s” was saved.") % {"name": saved.name})
                return redirect("exchange:groups")
        status = 400
    elif group is not None:
        form = GroupForm(initial={"name": group.name, "units": list(group.units.all()),
                                  "categories": list(group.categories.all())})
    else:
        form = GroupForm()
    chosen = {str(value) for value in (form["units"].value() or [])}
    return _render(request, "exchange/group_form.html", {
        **context, "form": form, "group": group, "platform": platform, "active": "groups",
        "tree": selectors.recipient_tree(exclude=None), "chosen": chosen,
        "chosen_categories": {str(value) for value in (form["categories"].value() or [])},
    }, status=status)


@login_required
def group_add(request):
    return _group_form(request)


@login_required
def group_edit(request, pk: int):
    return _group_form(request, selectors.group_for(request.user, pk))


@login_required
@require_POST
def group_delete(request, pk: int):
    group = selectors.group_for(request.user, pk)
    try:
        sending.delete_group(actor=request.user, group=group)
    except ExchangePermissionDenied:
        raise Http404 from None
    messages.success(request, _("The group “%(name)s” was removed.") % {"name": group.name})
    return redirect("exchange:groups")


@login_required
def settings_view(request):
    """The platform operator's exchange rules."""
    if not selectors.is_operator(request.user):
        raise Http404
    config = selectors.exchange_settings()
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST, instance=selectors.exchange_settings())
        if form.is_valid():
            try:
                sending.update_settings(actor=request.user, **{name: form.cleaned_data[name]
                                                               for name in sending.SETTING_FIELDS})
            except ExchangeRefused as refusal:
                form.add_error(None, list(refusal.messages))
            else:
                messages.success(request, _("The exchange settings were saved."))
                return redirect("exchange:settings")
        status = 400
    else:
        form = SettingsForm(instance=config)
    return _render(request, "exchange/settings_form.html", {"form": form, "config": config, "active": "settings"},
                  status=status)
