"""Wagtail hooks: the editors' interface speaks for the platform (one sign-in, no separate accounts)."""

from __future__ import annotations

from wagtail import hooks


@hooks.register("construct_main_menu")
def hide_menu_items_we_do_not_use(request, menu_items):
    # Accounts and groups are the directory's business; "Help" only links to wagtail.org, which an
    # isolated government network cannot reach.
    menu_items[:] = [item for item in menu_items if item.name not in ("users", "groups", "help")]

