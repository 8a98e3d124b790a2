"""The Simplified Chinese catalogues of the shell (core, accounts, office) are complete."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.utils import translation

import zhengtong

APPS = ["core", "accounts", "office"]


@pytest.mark.parametrize("app", APPS)
def test_every_message_has_a_chinese_translation(app):
    path = Path(zhengtong.__file__).parent / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    assert len(catalogue) > 10
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    assert not catalogue.metadata_is_fuzzy


def test_the_language_names_from_settings_are_translated(settings):
    with translation.override("zh-hans"):
        assert [str(name) for _code, name in settings.LANGUAGES] == ["简体中文", "英文"]
    with translation.override("en"):
        assert [str(name) for _code, name in settings.LANGUAGES] == ["Simplified Chinese", "English"]


def test_model_names_of_accounts_are_translated():
    from zhengtong.accounts.models import SignInAttempt

    with translation.override("zh-hans"):
        assert str(SignInAttempt._meta.verbose_name) == "登录记录"
        assert str(SignInAttempt.Outcome.BAD_PASSWORD.label) == "密码错误"
