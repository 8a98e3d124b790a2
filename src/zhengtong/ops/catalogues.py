"""Message catalogues: compile every locale/*/LC_MESSAGES/*.po into .mo with polib (no GNU gettext).

Used by `zhengtong migrate`, `zhengtong check` and scripts/compile_messages.py (the Makefile).
This module must not import Django: the Makefile runs it before anything is configured.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def catalogues(root: Path | None = None) -> list[Path]:
    """Every .po file under ``root`` (default: the zhengtong package)."""
    return sorted((root or PACKAGE_DIR).rglob("locale/*/LC_MESSAGES/*.po"))


def stale_catalogues(root: Path | None = None) -> list[Path]:
    """The .po files whose .mo is missing or older than the .po."""
    stale = []
    for po_path in catalogues(root):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            stale.append(po_path)
    return stale


def compile_catalogues(root: Path | None = None, *, force: bool = False) -> int:
    """Compile the stale (or, with ``force``, all) catalogues; return how many were compiled."""
    import polib

    todo = catalogues(root) if force else stale_catalogues(root)
    for po_path in todo:
        mo_path = po_path.with_suffix(".mo")
        partial = mo_path.with_name(mo_path.name + ".partial")
        # write then rename: a server reading the catalogue never sees half a file
        polib.pofile(str(po_path)).save_as_mofile(str(partial))
        partial.replace(mo_path)
    return len(todo)
