"""The browser fixtures of tests/e2e (Chromium, page, phone_page, sign_in_as) for the calendar's browser tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("zhengtong_e2e_fixtures",
                                               Path(__file__).resolve().parents[1] / "e2e" / "conftest.py")
_e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_e2e)

browser = _e2e.browser
page = _e2e.page
phone_page = _e2e.phone_page
sign_in_as = _e2e.sign_in_as
