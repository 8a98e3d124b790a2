"""Every string a user can see has a Simplified Chinese translation (zh-hans is the default)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "zhengtong"


def _catalogue_dirs(root: Path) -> list[Path]:
    """Each app (a folder with apps.py) and each folder that keeps its own locale/."""
    dirs = {path.parent for path in root.rglob("apps.py")}
    dirs |= {path.parent for path in root.rglob("locale") if path.is_dir()}
    return sorted(dirs)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is needed to extract messages")
def test_every_marked_string_has_a_chinese_translation(tmp_path):
    copy = tmp_path / "zhengtong"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhengtong.settings",
           "ZHENGTONG_DATA_DIR": str(tmp_path / "data")}
    # -P: the app folder is the working directory, and its selectors.py must not shadow the stdlib
    django_admin = [sys.executable, "-P", "-m", "django"]
    for folder in _catalogue_dirs(copy):
        (folder / "locale").mkdir(exist_ok=True)
        result = subprocess.run([*django_admin, "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-wrap"],
                                cwd=folder, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"makemessages failed in {folder.name}: {result.stderr}"
    translated: set[tuple[str | None, str]] = set()
    wanted: dict[tuple[str | None, str], str] = {}
    for po_path in copy.rglob("locale/zh_Hans/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(po_path)):
            key = (entry.msgctxt, entry.msgid)
            done = entry.translated() and "fuzzy" not in entry.flags
            if done:
                translated.add(key)
            else:
                where = entry.occurrences[0][0] if entry.occurrences else po_path.parent.parent.parent.parent.name
                wanted.setdefault(key, f"{po_path.relative_to(copy)} ({where})")
    missing = {key: where for key, where in wanted.items() if key not in translated}
    assert not missing, "Strings without a Chinese translation:\n" + "\n".join(
        f"  {msgid!r} in {where}" for (_, msgid), where in sorted(missing.items(), key=lambda kv: kv[1]))
