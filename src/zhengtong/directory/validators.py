"""Validators for directory data, with messages in the user's language."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015 统一社会信用代码: 18 characters from this set; the last is a check character.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
USERNAME_RE = re.compile(r"^[a-z][a-z0-9]{1,39}$")


def credit_code_check_character(first17: str) -> str:
    """The check character of a unified social credit code (GB 32100-2015 §4.3)."""
    total = sum(CREDIT_CODE_CHARSET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has exactly 18 characters."), code="length")
    bad = [ch for ch in code if ch not in CREDIT_CODE_CHARSET]
    if bad:
        raise ValidationError(
            _("The unified social credit code contains characters that are not allowed: %(chars)s "
              "(letters I, O, Z, S and V are never used)."),
            code="charset", params={"chars": "".join(dict.fromkeys(bad))},
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong: it should be %(expected)s."),
            code="check", params={"expected": expected},
        )


def validate_mobile(value: str) -> None:
    if value and not MOBILE_RE.match(value):
        raise ValidationError(_("Enter an 11-digit mainland mobile number starting with 1, e.g. 13812345678."),
                              code="mobile")


def validate_username(value: str) -> None:
    if not USERNAME_RE.match(value or ""):
        raise ValidationError(
            _("A username is lower-case pinyin letters, optionally followed by digits (2 to 40 characters)."),
            code="username",
        )
