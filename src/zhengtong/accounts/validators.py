"""Password rules beyond Django's own (seed 001 第十五条: one person, one account, own password).

Django's validators in ``AUTH_PASSWORD_VALIDATORS`` already refuse passwords that are too short,
too common, all digits or too like the person's name; these add the rest of the policy.
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


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


class NotRecentPasswordValidator:
    """The new password may not be the current one or one of the person's last ``history`` passwords."""

    def __init__(self, history: int = 5):
        self.history = max(1, history)

    def validate(self, password: str, user=None) -> None:
        if user is None or getattr(user, "pk", None) is None:
            return
        from zhengtong.accounts.models import PasswordHistory

        hashes = [user.password] if user.password else []
        hashes += list(PasswordHistory.objects.filter(user_id=user.pk)
                       .values_list("password", flat=True)[: self.history - 1])
        # hashers.check_password, not user.check_password: validating must never re-save the user.
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self._message(), code="password_reused")

    def _message(self) -> str:
        if self.history == 1:
            return _("The new password must differ from your current password.")
        return ngettext("The new password must differ from your last %(count)d password.",
                        "The new password must differ from your last %(count)d passwords.",
                        self.history) % {"count": self.history}

    def get_help_text(self) -> str:
        return self._message()
