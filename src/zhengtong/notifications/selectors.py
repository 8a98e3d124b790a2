"""Reads of notifications, always scoped to the person asking; a notice that is not yours is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhengtong.notifications.models import Message, Notice, Preference


def notices_for(user, *, unread_only: bool = False) -> QuerySet[Notice]:
    """The person's own notices, newest first."""
    notices = Notice.objects.filter(recipient=user)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices.select_related("unit")


def unread_count(user) -> int:
    """How many unread notices the person has (the navbar badge; uses the notifications_unread index)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def notice_for(user, pk: int) -> Notice:
    """One of the person's own notices; anyone else's looks missing."""
    try:
        return Notice.objects.get(pk=pk, recipient=user)
    except Notice.DoesNotExist:
        raise Http404 from None


def preference_of(user) -> Preference:
    """The person's preferences (unsaved defaults when they never changed them)."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def may_see_message_log(user) -> bool:
    from zhengtong.directory.selectors import is_platform_operator

    return is_platform_operator(user)


def message_log(user, *, channel: str = "", status: str = "", query: str = "") -> QuerySet[Message]:
    """The platform operator's log of every e-mail and SMS; anyone else gets 404."""
    if not may_see_message_log(user):
        raise Http404
    messages = Message.objects.select_related("recipient").order_by("-created_at", "-pk")
    if channel:
        messages = messages.filter(channel=channel)
    if status:
        messages = messages.filter(status=status)
    if query:
        from django.db.models import Q

        messages = messages.filter(Q(address__icontains=query) | Q(subject__icontains=query)
                                   | Q(recipient__name__icontains=query) | Q(recipient__username__icontains=query))
    return messages


def message_counts() -> dict[str, int]:
    """Messages per status (the log's summary)."""
    from django.db.models import Count

    return dict(Message.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
