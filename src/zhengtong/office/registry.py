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
    group: str = ""  # a NavGroup key: shown in that group's drop-down menu instead of the bar


@dataclass(frozen=True)
class NavGroup:
    """A drop-down menu of the navigation bar, so the bar stays one line however many apps add entries."""

    key: str
    label: Any
    icon: str = "three-dots"
    order: int = 100


@dataclass(frozen=True)
class NavEntry:
    """What the bar shows: one item, or a group with the items a person may see (a group of one is flat)."""

    item: NavItem | None = None
    group: NavGroup | None = None
    items: tuple[NavItem, ...] = ()


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
_groups: dict[str, NavGroup] = {}
_panels: dict[str, Panel] = {}


def register_nav(item: NavItem) -> None:
    _nav[item.key] = item


def register_nav_group(group: NavGroup) -> None:
    _groups[group.key] = group


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def nav_for(request: HttpRequest) -> list[NavItem]:
    return sorted((item for item in _nav.values() if item.visible(request)), key=lambda item: item.order)


def nav_entries(items: list[NavItem]) -> list[NavEntry]:
    """The bar for these (visible) items: grouped items gather in their group, placed by the group's order."""
    grouped: dict[str, list[NavItem]] = {}
    for item in items:
        if item.group and item.group in _groups:
            grouped.setdefault(item.group, []).append(item)
    placed: list[tuple[int, NavEntry]] = [(item.order, NavEntry(item=item)) for item in items
                                          if not (item.group and item.group in _groups)]
    for key, members in grouped.items():
        if len(members) == 1:
            placed.append((members[0].order, NavEntry(item=members[0])))
        else:
            placed.append((_groups[key].order, NavEntry(group=_groups[key], items=tuple(members))))
    return [entry for _order, entry in sorted(placed, key=lambda pair: pair[0])]


def panels_for(request: HttpRequest) -> list[Panel]:
    return sorted((panel for panel in _panels.values() if panel.visible(request)), key=lambda p: p.order)
