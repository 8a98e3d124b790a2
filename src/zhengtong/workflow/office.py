"""The process engine's place in the office portal: navigation and home-page panels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _works_in_a_unit(request) -> bool:
    return request.user.is_authenticated and bool(getattr(request, "unit", None))


def _unit_admin(request) -> bool:
    from zhengtong.workflow.ui_selectors import is_unit_admin

    return _works_in_a_unit(request) and is_unit_admin(request.user, request.unit)


def _panel_context(request) -> dict:
    from zhengtong.workflow.views import panel_context

    return panel_context(request)


def register_office() -> None:
    from zhengtong.office.registry import NavItem, Panel, register_nav, register_panel

    register_nav(NavItem(key="workflow-todo", label=_("To-do items"), url_name="workflow:todo", icon="inboxes",
                         order=5, visible=_works_in_a_unit))
    register_nav(NavItem(key="workflow-delegations", label=_("Delegation"), url_name="workflow:delegations",
                         icon="person-badge", order=60, visible=_works_in_a_unit))
    register_nav(NavItem(key="workflow-definitions", label=_("Process definitions"),
                         url_name="workflow:definitions", icon="bezier2", order=85, visible=_unit_admin, group="admin"))
    register_panel(Panel(key="workflow-todo", title=_("My work"), template="workflow/includes/panel.html",
                         context=_panel_context, order=10, visible=_works_in_a_unit, width=6))
