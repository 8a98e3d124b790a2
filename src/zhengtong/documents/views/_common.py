"""Helpers shared by the documents views."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import NoReverseMatch, reverse


def current_unit_or_404(request):
    unit = getattr(request, "unit", None)
    if unit is None:
        raise Http404
    return unit


def document_url(document) -> str:
    """The document's page (the processing side's), else its edit page while that is not there."""
    try:
        return reverse("documents:detail", args=[document.pk])
    except NoReverseMatch:
        return reverse("documents:edit", args=[document.pk])


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: by field when it names fields, else on the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def status_of(form) -> int:
    return 400 if form.is_bound and form.errors else 200
