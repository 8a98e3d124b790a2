"""What other apps add to the office portal: navigation entries and home-page panels.

Apps register in their ``AppConfig.ready()``; the portal shows each entry only to the people its
``visible`` function admits, so navigation is shown by permission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


def _always(request: HttpRequest) -> bool:
    return request.user.is_authenticated


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any  # a lazy translation
    url_name: str
    icon: str = "circle"
    order: int = 100
    visible: Callable[[HttpRequest], bool] = _always


@dataclass(frozen=True)
class Panel:
    """A home-page panel (to-do, notices, deadlines…): a template and the context it needs."""

    key: str
    title: Any
    template: str
    context: Callable[[HttpRequest], dict] = field(default=lambda request: {})
    order: int = 100
    visible: Callable[[HttpRequest], bool] = _always
    width: int = 6  # Bootstrap columns out of 12 on a wide screen


_nav: dict[str, NavItem] = {}
_panels: dict[str, Panel] = {}


def register_nav(item: NavItem) -> None:
    _nav[item.key] = item


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def nav_for(request: HttpRequest) -> list[NavItem]:
    return sorted((item for item in _nav.values() if item.visible(request)), key=lambda item: item.order)


def panels_for(request: HttpRequest) -> list[Panel]:
    return sorted((panel for panel in _panels.values() if panel.visible(request)), key=lambda p: p.order)
