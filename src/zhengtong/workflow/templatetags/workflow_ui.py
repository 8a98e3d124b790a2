"""Template tags behind the workflow includes, so that any page (the documents app's too) can embed
the processing history and the action form with nothing but a work item or an instance."""

from __future__ import annotations

import html
import re

from django import template

from zhengtong.workflow import ui_selectors
from zhengtong.workflow.forms import CompleteForm, SendBackForm, TransferForm

register = template.Library()


@register.simple_tag
def workflow_history(instance, history=None):
    """The steps handled so far and those waiting now: ``history`` when the page already has it."""
    if history not in (None, ""):
        return history
    if not instance:
        return []
    from zhengtong.workflow import selectors

    return [*selectors.history_for(instance), *selectors.open_items_of(instance)]


@register.simple_tag
def workflow_actions(item, user):
    """What ``user`` may do on ``item``: the revision to post back, the send-back targets, whether the
    step may be transferred, the decisions it offers, and unbound forms for the include."""
    from zhengtong.workflow import selectors

    if not item or not item.is_open or item.instance.status != "running":
        return {"can_act": False}
    if not selectors.can_act(user, item):
        if ui_selectors.is_unit_admin(user, item.unit):  # the unit admin places and passes on items (转办)
            revision = item.instance.revision
            return {"can_act": False, "admin_transfer": True, "revision": revision,
                    "transfer_form": TransferForm(initial={"revision": revision}, unit=item.unit)}
        return {"can_act": False}
    targets = list(selectors.send_back_targets(item))
    revision = item.instance.revision
    return {
        "can_act": True,
        "revision": revision,
        "targets": targets,
        "can_transfer": ui_selectors.can_transfer(item),
        "decisions": ui_selectors.decisions_for(item),
        "acting_for": ui_selectors.acting_for_names(user, item),
        "complete_form": CompleteForm(initial={"revision": revision}),
        "send_back_form": SendBackForm(initial={"revision": revision}, targets=targets),
        "transfer_form": TransferForm(initial={"revision": revision}, unit=item.unit),
    }


@register.simple_tag
def workflow_candidates(item):
    """Who may act on an open item, as names."""
    return "、".join(person.name or person.username for person in item.candidates.all())


@register.simple_tag
def workflow_decision_label(item):
    return ui_selectors.decision_label(item.decision)


_LANE_NAME = re.compile(r'(<(?:[\w-]+:)?lane\b[^>]*?\bname=")([^"]*)(")')


@register.filter
def lanes_named(xml: str) -> str:
    """The BPMN text with lanes that name a role code showing the role's Chinese name (checker → 核稿人).

    Shipped processes name lanes by role code, which never changes; people read the role's name.
    """
    from zhengtong.directory.models import Role

    names = dict(Role.objects.values_list("code", "name"))

    def rename(match: re.Match) -> str:
        label = names.get(html.unescape(match.group(2)), None)
        return match.group(1) + (html.escape(label, quote=True) if label else match.group(2)) + match.group(3)

    return _LANE_NAME.sub(rename, xml or "")
