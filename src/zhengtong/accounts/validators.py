"""Password rules beyond Django's own (seed 001 第十五条, seed 000: passwords kept and renewed)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotUsernameValidator:
    """The password may not contain the username, forwards or backwards."""

    def validate(self, password: str, user=None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        lowered = password.lower()
        if username and len(username) >= 3 and (username in lowered or username[::-1] in lowered):
            raise ValidationError(_("The password may not contain the username."), code="password_has_username")

    def get_help_text(self) -> str:
        return _("The password may not contain your username.")


class CharacterClassesValidator:
    """At least three of: lower-case letters, upper-case letters, digits, other characters."""

    def validate(self, password: str, user=None) -> None:
        classes = [any(c.islower() for c in password), any(c.isupper() for c in password),
                   any(c.isdigit() for c in password), any(not c.isalnum() for c in password)]
        if sum(classes) < 3:
            raise ValidationError(
                _("The password must mix at least three of: lower-case letters, upper-case letters, digits "
                  "and symbols."), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("Mix at least three of: lower-case letters, upper-case letters, digits and symbols.")
