"""Receivers: Wagtail's workflow engine starts a step; a migration finished. Each calls one service."""

from __future__ import annotations


def step_started(sender, instance, user=None, **kwargs):
    """A step of a chain started: notify its approvers (网站待审)."""
    from zhengtong.webreview import services
    from zhengtong.webreview.models import DirectoryApprovalTask

    if isinstance(instance.task.specific, DirectoryApprovalTask):
        services.notify_reviewers(instance)


def create_default_chains(sender, app_config=None, using="default", **kwargs):
    """After migrations: create the default chains if the district's reviewing units exist (only what is missing)."""
    if app_config is None or app_config.label != "webreview":
        return
    from django.db import connections

    from zhengtong.webreview import services

    if "webreview_reviewerapprovaltask" not in connections[using].introspection.table_names():
        return
    services.ensure_default_chains()
