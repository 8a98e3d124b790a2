"""How other apps plug into the engine: describe a subject, react when a step opens, ends or is overdue.

    hooks.register_subject("documents.document", describe=lambda doc: (doc.title, doc.get_absolute_url()),
                           on_completed=..., on_step=..., on_overdue=...)

``on_completed(instance)`` runs inside the transaction when an instance ends (completed or cancelled:
look at ``instance.status``); ``on_step(work_item)`` when a new work item opens, after the instance is
saved (it may complete the item with ``services.complete_work_item(actor=None, …)``);
``on_overdue(work_item)`` when the periodic task finds an item past its due time (once a working day).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SubjectHooks:
    describe: Callable
    on_completed: Callable | None = None
    on_step: Callable | None = None
    on_overdue: Callable | None = None


_subjects: dict[str, SubjectHooks] = {}


def register_subject(model_label: str, *, describe, on_completed=None, on_step=None, on_overdue=None) -> None:
    """Register the hooks of a subject model (``app_label.ModelName``, any case)."""
    _subjects[model_label.lower()] = SubjectHooks(describe=describe, on_completed=on_completed, on_step=on_step,
                                                  on_overdue=on_overdue)


def unregister_subject(model_label: str) -> None:
    _subjects.pop(model_label.lower(), None)


def hooks_for_label(model_label: str) -> SubjectHooks | None:
    return _subjects.get(model_label.lower())


def hooks_for(instance) -> SubjectHooks | None:
    """The hooks of an instance's subject model, if its app registered any."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_id(instance.subject_type_id)  # cached per process
    return _subjects.get(f"{content_type.app_label}.{content_type.model}")


def describe(instance) -> tuple[str, str]:
    """(title, url) of an instance's subject for the to-do lists; the instance title and no link otherwise."""
    found = hooks_for(instance)
    subject = instance.subject if found is not None else None
    if found is None or subject is None:
        return instance.title, ""
    title, url = found.describe(subject)
    return title or instance.title, url or ""
