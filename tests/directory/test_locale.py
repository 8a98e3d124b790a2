"""The directory's Chinese catalogue is complete: every message has a translation, none is fuzzy."""

from pathlib import Path

import polib

import zhengtong.directory

CATALOGUE = Path(zhengtong.directory.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_directory_message_has_a_chinese_translation():
    po = polib.pofile(str(CATALOGUE))
    missing = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert len(po) > 300
    assert missing == [] and fuzzy == []


def test_the_management_pages_are_in_chinese(signed_in, cast):
    from django.urls import reverse

    page = signed_in(cast.admin).get(reverse("directory:people", kwargs={"unit_pk": cast.unit.pk})).content.decode()
    for english in ("Add a person", "Departments", "User groups", "Search", "Status"):
        assert english not in page
    assert "新增人员" in page and "用户组" in page
