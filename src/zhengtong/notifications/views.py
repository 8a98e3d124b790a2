"""Pages of notifications: my notices, the live badge, my preferences, the operator's message log."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from zhengtong.notifications import categories, selectors, services
from zhengtong.notifications.forms import MessageFilterForm, PreferenceForm
from zhengtong.notifications.models import Message

PAGE_SIZE = 30


@login_required
def index(request):
    """My notices (站内通知), unread first when asked, with read / read-all buttons."""
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(selectors.notices_for(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page"))
    for notice in page.object_list:
        notice.category_label = categories.label_for(notice.category)
    return render(request, "notifications/notice_list.html", {
        "page": page, "unread_only": unread_only, "query": "show=unread" if unread_only else "",
        "unread": selectors.unread_count(request.user),
        "may_see_log": selectors.may_see_message_log(request.user),
    })


def _safe_next(request, url: str) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return None


@login_required
@require_POST
def read(request, pk: int):
    """Mark one of my notices read; with ``open`` go on to the page it is about."""
    notice = selectors.notice_for(request.user, pk)
    services.mark_read(actor=request.user, notice=notice)
    if request.POST.get("open") and (target := _safe_next(request, notice.url)):
        return redirect(target)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Trigger"] = "zt-notices-changed"
        return response
    return redirect(_safe_next(request, request.POST.get("next", "")) or "notifications:index")


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("Marked %(count)d notices read.") % {"count": count})
    return redirect("notifications:index")


@require_GET
@never_cache
def badge(request):
    """The unread count for the navbar badge (htmx polls it); signed out: 204 so the page keeps as it is."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "notifications/includes/badge_count.html",
                  {"unread": selectors.unread_count(request.user)})


@login_required
def preferences(request):
    """My notification preferences: channels, muted categories, quiet hours."""
    preference = selectors.preference_of(request.user)
    own_categories = list(selectors.notices_for(request.user).order_by().values_list("category", flat=True)
                          .distinct()[:50])
    if request.method == "POST":
        form = PreferenceForm(request.POST, extra_categories=own_categories)
        if form.is_valid():
            try:
                services.save_preferences(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your notification preferences are saved."))
                return redirect("notifications:preferences")
    else:
        form = PreferenceForm(initial={
            "email_enabled": preference.email_enabled, "sms_enabled": preference.sms_enabled,
            "muted_categories": preference.muted_categories, "quiet_start": preference.quiet_start,
            "quiet_end": preference.quiet_end}, extra_categories=(*own_categories, *preference.muted_categories))
    return render(request, "notifications/preference_form.html", {"form": form, "person": request.user},
                  status=400 if form.errors else 200)


@login_required
def message_log(request):
    """The platform operator's log of every e-mail and SMS (channel, address, status, attempts, error)."""
    form = MessageFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    log = selectors.message_log(request.user, channel=filters.get("channel", ""),
                                status=filters.get("status", ""), query=filters.get("q", ""))
    page = Paginator(log, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    counts = selectors.message_counts()
    return render(request, "notifications/message_list.html", {
        "form": form, "page": page, "query": query, "active_status": filters.get("status", ""),
        "total": sum(counts.values()),
        "status_counts": [(value, label, counts.get(value, 0)) for value, label in Message.Status.choices]})


def panel_context(request) -> dict:
    """The home-page panel: the person's latest unread notices."""
    notices = list(selectors.notices_for(request.user, unread_only=True)[:5])
    unread = len(notices) if len(notices) < 5 else selectors.unread_count(request.user)
    return {"notices": notices, "unread": unread}
