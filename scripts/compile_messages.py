"""Compile every locale/*/LC_MESSAGES/*.po under src/ into .mo with polib (no GNU gettext needed).

The logic lives in zhengtong.ops.catalogues (also used by `zhengtong migrate` and `zhengtong check`).
"""

from __future__ import annotations

import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))

from zhengtong.ops.catalogues import compile_catalogues  # noqa: E402


def main() -> int:
    count = compile_catalogues(SRC)
    print(f"compiled {count} message catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
