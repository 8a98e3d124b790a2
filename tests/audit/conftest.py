"""Fixtures of the audit tests."""

from __future__ import annotations

import pytest

from .tamper import append


@pytest.fixture
def chain(db):
    """A chain of 120 untouched records."""
    return append(120)
