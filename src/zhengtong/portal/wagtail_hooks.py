"""Wagtail hooks: the editors' interface speaks for the platform (one sign-in, no separate accounts)."""

from __future__ import annotations

from wagtail import hooks


@hooks.register("construct_main_menu")
def hide_account_menu_items(request, menu_items):
    # Accounts, passwords and groups are the directory's business, not Wagtail's.
    menu_items[:] = [item for item in menu_items if item.name not in ("users", "groups")]
