"""Typed errors of the documents services; their messages are shown to people as they are (translated)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class DocumentPermissionDenied(PermissionDenied):
    """The person may not do this with the document, register or template."""


class DocumentInvalid(ValidationError):
    """The input was refused and nothing changed; ``messages`` says why, in the active language."""

    def __str__(self) -> str:
        return "；".join(str(message) for message in self.messages)


class ElementsIncomplete(DocumentInvalid):
    """The document's elements (要素) are not complete or not allowed at this stage (条例 第九条)."""


class ClassifiedRefused(DocumentInvalid):
    """A classified (涉密) document was refused: 秘密 and above never enter the platform (seed 001 第四条)."""
