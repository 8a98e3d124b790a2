"""Wagtail hooks: screening before "submit for review", the 审核签 in the action menu, forbidden words.

Screening (seed 003 第十九条, 上网不涉密) runs before Wagtail handles a submission from the page
editor: the hook builds the editor's own form from the posted data, screens what it would save,
and on a hit turns the submission into a plain draft save — the editor keeps their work, sees
every hit in its context, and nothing goes to review.
"""

from __future__ import annotations

from django.contrib import messages
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from zhengtong.webreview import selectors, services
from zhengtong.webreview.models import ForbiddenWord

SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")


def _is_submission(request) -> bool:
    return request.method == "POST" and any(request.POST.get(name) for name in SUBMIT_ACTIONS)


def _screen_form(request, form, page, *, unit=None) -> None:
    if not form.is_valid():
        return  # the editor shows the form's own errors and submits nothing
    candidate = form.save(commit=False)
    matches = services.screen_submission(actor=request.user, page=candidate, unit=unit)
    if not matches:
        return
    data = request.POST.copy()
    for name in SUBMIT_ACTIONS:
        data.pop(name, None)
    request.POST = data  # the editor now saves a draft instead of submitting it
    messages.error(request, mark_safe(render_to_string(  # noqa: S308 - the template escapes every value
        "webreview/includes/screening_message.html", {"matches": matches})))


@hooks.register("before_edit_page")
def screen_edited_page_before_submission(request, page):
    if not _is_submission(request):
        return None
    fresh = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
    form_class = fresh.specific_class.get_edit_handler().get_form_class()
    form = form_class(request.POST, request.FILES, instance=fresh, parent_page=fresh.get_parent(),
                      for_user=request.user)
    _screen_form(request, form, fresh)
    return None


@hooks.register("before_create_page")
def screen_new_page_before_submission(request, parent_page, page_class):
    if not _is_submission(request):
        return None
    page = page_class(owner=request.user)
    form_class = page_class.get_edit_handler().get_form_class()
    form = form_class(request.POST, request.FILES, instance=page, parent_page=parent_page, for_user=request.user)
    _screen_form(request, form, page, unit=selectors.responsible_unit(parent_page))
    return None


class SignOffMenuItem(ActionMenuItem):
    """Download the 审核签 of the page (seed 000 (一)2(2)) from the editor's action menu."""

    label = _("Review sign-off form (PDF)")
    name = "action-sign-off"
    icon_name = "doc-full"

    def is_shown(self, context):
        page = context.get("page")
        if context.get("view") != "edit" or page is None or not page.pk:
            return False
        return self._url(page) is not None and selectors.may_see_sign_off(context["request"].user, page) \
            and selectors.latest_workflow_state(page) is not None

    def get_url(self, parent_context):
        return self._url(parent_context["page"])

    @staticmethod
    def _url(page):
        try:
            return reverse("webreview:sign-off", args=[page.pk])
        except NoReverseMatch:  # the office URLs are not mounted (e.g. a site without the office)
            return None


@hooks.register("register_page_action_menu_item")
def register_sign_off_menu_item():
    return SignOffMenuItem(order=90)


class ForbiddenWordViewSet(SnippetViewSet):
    """The operator keeps the forbidden-word list (seed 003 第十九条) at /cms/snippets/."""

    model = ForbiddenWord
    icon = "warning"
    menu_label = _("Forbidden words")
    list_display = ["word", "category", "is_active", "note"]
    list_filter = ["category", "is_active"]
    search_fields = ["word", "note"]
    add_to_admin_menu = False


register_snippet(ForbiddenWordViewSet)
