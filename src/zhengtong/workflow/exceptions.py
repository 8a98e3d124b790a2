"""Typed errors of the process engine. Their messages are shown to people as they are (translated)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _


class WorkflowError(ValidationError):
    """A workflow action cannot be done; ``messages`` holds the reasons in the active language."""

    default_message = _("The process cannot do this.")

    def __init__(self, message=None, code=None, params=None):
        super().__init__(message if message is not None else self.default_message, code=code, params=params)

    def __str__(self) -> str:
        return "；".join(str(message) for message in self.messages)


class TaskAlreadyHandled(WorkflowError):
    """Someone else acted first (the page showed an older revision), or the item is no longer open."""

    default_message = _("This item has already been handled by someone else. Reload the page to see "
                        "where the process stands now.")


class InvalidDefinition(WorkflowError):
    """An uploaded BPMN definition was refused: one message per problem, each naming the element."""

    default_message = _("The process definition is not valid.")


class WorkflowPermissionDenied(PermissionDenied):
    """The person may not do this with a process (start it, cancel it, upload a definition…)."""

    default_message = _("You may not do this.")

    def __init__(self, message=None):
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class NotYourTask(WorkflowPermissionDenied):
    """The person may not act on this work item (not a candidate nor a delegate of one)."""

    default_message = _("You may not act on this item.")
