"""Template tags of the printing part, for the includes on the exchange pages of H4's part."""

from django import template

from zhengtong.exchange import selectors_printing

register = template.Library()


@register.simple_tag
def pending_copy_request(delivery):
    """The receiver's request still waiting for the sender, if any."""
    return selectors_printing.pending_request(delivery)


@register.simple_tag
def pending_copy_requests(dispatch):
    """The requests of a dispatch's recipients still waiting for the sender."""
    return list(selectors_printing.pending_requests_of_dispatch(dispatch))


@register.simple_tag
def print_count(delivery):
    return delivery.prints.count()


@register.filter
def may_print_now(delivery) -> bool:
    """Checked (第三十四条), not returned or withdrawn, copies left."""
    return bool(delivery.status == "signed" or (delivery.status == "pending" and delivery.checked_at)) \
        and delivery.dispatch.status != "withdrawn"
