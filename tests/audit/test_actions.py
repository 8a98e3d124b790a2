"""Action codes read as words, in Chinese by default."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhengtong.audit import actions


def test_known_actions_have_chinese_labels():
    with translation.override("zh-hans"):
        assert actions.label_for("audit.chain.verified") == "审计链校验通过"
        assert actions.label_for("audit.chain.broken") == "审计链校验发现损坏"
        assert "登录" in actions.label_for("accounts.sign_in_failed")


def test_every_action_written_by_the_foundation_has_a_label():
    codes = ["directory.unit.register", "directory.department.create", "directory.person.create",
             "directory.membership.add", "directory.roles.set", "directory.person.reset_password",
             "directory.person.update_contact", "accounts.sign_in", "accounts.sign_in_failed",
             "accounts.sign_out", "accounts.sign_out_everywhere", "accounts.password_change"]
    with translation.override("zh-hans"):
        labels = {code: actions.label_for(code) for code in codes}
    assert all(label != code and _is_chinese(label) for code, label in labels.items()), labels


def test_labels_follow_the_language():
    with translation.override("en"):
        assert actions.label_for("accounts.sign_in") == "Signed in"


def test_an_unknown_code_shows_as_itself():
    assert actions.label_for("nobody.knows.this") == "nobody.knows.this"


def test_other_apps_register_their_actions():
    actions.register_action("test.widget.polish", _("Widget polished"))
    try:
        assert actions.label_for("test.widget.polish") == "Widget polished"
        assert ("test.widget.polish", "Widget polished") in actions.known_actions()
    finally:
        actions._labels.pop("test.widget.polish")


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)
