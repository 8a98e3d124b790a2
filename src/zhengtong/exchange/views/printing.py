"""Pages of controlled printing (打印), 脱密下载, copy requests and the public paper-copy check."""

from __future__ import annotations

import logging
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhengtong.core.forms import BootstrapMixin
from zhengtong.exchange import selectors
from zhengtong.exchange import selectors_printing as printing_selectors
from zhengtong.exchange.models import CopyRequest, PrintRecord
from zhengtong.exchange.services import ExchangeRefused
from zhengtong.exchange.services import printing

logger = logging.getLogger(__name__)


class CopyRequestForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Request"), choices=CopyRequest.Kind.choices,
                             widget=forms.RadioSelect, initial=CopyRequest.Kind.MORE_COPIES)
    copies = forms.IntegerField(label=gettext_lazy("Copies asked for"), min_value=1, max_value=printing.MAX_COPIES,
                                initial=1, required=False,
                                help_text=gettext_lazy("Only for more copies."))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=printing.REASON_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("Say why receiving failed, e.g. the printer jammed on copy 2."))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("grant", "grant"), ("refuse", "refuse")])
    note = forms.CharField(max_length=printing.REASON_LENGTH, required=False)


def _pdf_response(pdf: bytes, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _file_title(record: PrintRecord) -> str:
    title = record.delivery.dispatch.number or record.delivery.dispatch.title[:40]
    title = "".join(ch for ch in title if ch not in '\\/:*?"<>|')
    if record.kind == PrintRecord.Kind.DECLASSIFIED:
        return _("%(title)s (declassified copy).pdf") % {"title": title}
    return _("%(title)s (copy %(number)s).pdf") % {"title": title, "number": record.copy_number}


@login_required
def delivery_printing(request, pk):
    """The receiver's printing page: copies left, print / 脱密下载, the print log and the requests."""
    delivery = selectors.delivery_for(request.user, pk)
    return render(request, "exchange/printing/delivery_printing.html", {
        "delivery": delivery, "dispatch": delivery.dispatch,
        "prints": printing_selectors.prints_of(delivery),
        "requests": printing_selectors.requests_of(delivery),
        "form": CopyRequestForm(), "nav_active": "exchange",
    })


@login_required
@require_POST
@never_cache
def print_copy(request, pk):
    """Print one copy: answers the marked PDF inline, for the browser to print it."""
    delivery = selectors.delivery_for(request.user, pk)
    try:
        record, pdf = printing.print_copy(actor=request.user, delivery=delivery)
    except ExchangeRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("exchange:printing", pk=delivery.pk)
    return _pdf_response(pdf, filename=_file_title(record), attachment=False)


@login_required
@require_POST
@never_cache
def declassified_copy(request, pk):
    """脱密下载: answers the marked copy without seals as a download."""
    delivery = selectors.delivery_for(request.user, pk)
    try:
        record, pdf = printing.declassified_copy(actor=request.user, delivery=delivery)
    except ExchangeRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("exchange:printing", pk=delivery.pk)
    return _pdf_response(pdf, filename=_file_title(record), attachment=True)


@login_required
def request_copies(request, pk):
    """Ask the sender for more copies or a resend (第三十八条)."""
    delivery = selectors.delivery_for(request.user, pk)
    form = CopyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            printing.request_copies(actor=request.user, delivery=delivery, kind=form.cleaned_data["kind"],
                                    copies=form.cleaned_data["copies"] or 1, reason=form.cleaned_data["reason"])
        except ExchangeRefused as refusal:
            for message in refusal.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your request was sent to %(unit)s.") % {
                "unit": delivery.dispatch.sender_unit.name})
            return redirect("exchange:printing", pk=delivery.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "exchange/printing/request_form.html", {
        "delivery": delivery, "dispatch": delivery.dispatch, "form": form, "nav_active": "exchange",
    }, status=status)


@login_required
def copy_requests(request):
    """The sending unit's requests from receivers: pending ones to decide, then the decided ones."""
    unit = getattr(request, "unit", None)
    pending = printing_selectors.requests_to(request.user, unit)
    decided = printing_selectors.requests_to(request.user, unit, status=None).exclude(
        status=CopyRequest.Status.PENDING)[:50]
    return render(request, "exchange/printing/request_list.html", {
        "pending": pending, "decided": decided, "unit": unit, "nav_active": "exchange",
        "may_decide": unit is not None and selectors.may_send(request.user, unit),
    })


@login_required
@require_POST
def decide_copy_request(request, pk):
    copy_request = printing_selectors.request_to_decide(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to grant or to refuse the request."))
    else:
        grant = form.cleaned_data["decision"] == "grant"
        try:
            printing.decide_copy_request(actor=request.user, request=copy_request, grant=grant,
                                         note=form.cleaned_data["note"])
        except ExchangeRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("The request was granted.") if grant else _("The request was refused."))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/office/") and "//" not in next_url:
        return redirect(next_url)
    return redirect("exchange:copy-requests")


@login_required
def dispatch_prints(request, pk):
    """The sender's print log of one dispatch: every copy every recipient printed or downloaded."""
    dispatch = selectors.dispatch_for(request.user, pk)
    return render(request, "exchange/printing/dispatch_prints.html", {
        "dispatch": dispatch, "prints": printing_selectors.prints_of_dispatch(dispatch),
        "requests": printing_selectors.pending_requests_of_dispatch(dispatch),
        "may_decide": selectors.may_send(request.user, dispatch.sender_unit), "nav_active": "exchange",
    })


# --- public: the QR code of a paper copy --------------------------------------------------------

def _seal_summary(dispatch) -> dict:
    """The seals of the sealed original, checked once per file (cached by its SHA-256)."""
    key = f"exchange.verify.{dispatch.sha256}"
    summary = cache.get(key)
    if summary is not None:
        return summary
    try:
        from zhengtong.seals.verification import verify_pdf

        with dispatch.pdf.open("rb") as handle:
            report = verify_pdf(handle.read())
    except Exception:  # noqa: BLE001 — the page still shows the copy; the check says it could not run
        logger.exception("verifying dispatch %s failed", dispatch.pk)
        return {"checked": False, "ok": False, "problems": [_("The seals could not be checked just now.")],
                "seals": []}
    seals = []
    for seal in getattr(report, "seals", []) or []:
        seals.append({
            "unit": getattr(seal, "unit_name", "") or getattr(seal, "unit", ""),
            "name": getattr(seal, "seal_name", "") or getattr(seal, "name", ""),
            "signed_at": getattr(seal, "signed_at", None),
            "ok": bool(getattr(seal, "ok", getattr(report, "ok", False))),
            "revoked": bool(getattr(seal, "revoked", False)),
        })
    summary = {"checked": True, "ok": bool(report.ok), "problems": [str(p) for p in report.problems],
               "seals": seals}
    cache.set(key, summary, 600)
    return summary


@never_cache
def verify_copy(request, token):
    """Public page of a paper copy's QR code: what the copy is and whether the original's seals hold."""
    record = printing_selectors.copy_by_token(token)
    dispatch = record.delivery.dispatch
    return render(request, "exchange/printing/verify_copy.html", {
        "record": record, "delivery": record.delivery, "dispatch": dispatch,
        "seals": _seal_summary(dispatch),
    })
