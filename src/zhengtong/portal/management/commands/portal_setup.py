"""``zhengtong manage portal_setup``: create the website's missing columns and sync /cms/ rights."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhengtong.portal import services


class Command(BaseCommand):
    help = "Create the website's missing column pages (seed 000 or seed 003 layout) and sync editing rights."

    def add_arguments(self, parser):
        parser.add_argument("--layout", choices=["district", "office"], default=None,
                            help="column layout (default: ZHENGTONG_WEBSITE_LAYOUT)")

    def handle(self, *args, layout=None, **options):
        try:
            result = services.ensure_site_tree(layout=layout)
            summary = services.sync_cms_permissions()
        except Exception as exc:  # noqa: BLE001 - shown to the operator as one line
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"网站栏目：新建或补全 {len(result.created)} 个页面（首页：{result.home.title}）；"
                          f"编辑权限：{summary['groups']} 个用户组，加入 {summary['added']}，移出 {summary['removed']}")
