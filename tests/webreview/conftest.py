"""Fixtures of the website-review tests."""

from __future__ import annotations

import pytest

from .district import District, build_district


@pytest.fixture
def district(cast) -> District:
    from zhengtong.webreview import services

    built = build_district(cast)
    services.ensure_default_chains()
    return built
