"""What every operations command shares: its error type, the operator's language, confirmation."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TextIO


class OpsError(Exception):
    """An operation refused or failed; ``message`` is for the operator, ``code`` the exit status."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.message = message
        self.code = code


@contextlib.contextmanager
def operator_language() -> Iterator[None]:
    """Speak the installation's language (settings.LANGUAGE_CODE, Chinese by default) to the operator."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


def database_error(exc: Exception) -> str:
    """The operator's message for a database that cannot be reached or used."""
    from django.utils.translation import gettext as _

    return _("Database error (check ZHENGTONG_DATABASE_URL and that the database is running): %(error)s") % {
        "error": str(exc).strip()}


def confirm(question: str, *, stdin: TextIO | None = None, stdout: TextIO | None = None) -> bool:
    """Ask a yes/no question on the terminal; anything but an explicit yes is a no."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stdout.write(f"{question} [yes/no] ")
    stdout.flush()
    answer = stdin.readline()
    if not answer:  # end of input: nobody said yes
        stdout.write("\n")
        return False
    return answer.strip().lower() in {"yes", "y", "是", "确认"}
