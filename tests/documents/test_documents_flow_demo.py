"""The demo documents: every state of the 发文 and 收文 processes, acted by the demo accounts."""

from __future__ import annotations

import pytest
from django.test.utils import override_settings

try:
    from .flow_fixtures import _fresh_definition_cache  # noqa: F401 (fixture)
except ImportError:
    from flow_fixtures import _fresh_definition_cache  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_demo_documents_cover_every_state(settings, tmp_path):
    from zhengtong.demo import data
    from zhengtong.demo.services import load_demo_district
    from zhengtong.documents.demo import load_demo
    from zhengtong.documents.models import CoIssuer, Document, Urge
    from zhengtong.workflow.models import WorkItem

    settings.MEDIA_ROOT = str(tmp_path)
    result = load_demo_district()
    lines = []
    load_demo(result=result, stdout=lines.append)
    assert lines and lines[0].startswith("公文：演示发文 15 件、收文 9 件")

    outgoing = set(Document.objects.filter(direction="outgoing").values_list("status", flat=True))
    assert outgoing == {"draft", "in_review", "signed_off", "numbered", "composed", "sealed", "distributed",
                        "archived"}
    incoming = set(Document.objects.filter(direction="incoming").values_list("status", flat=True))
    assert incoming == {"registered", "in_handling", "finished", "archived"}
    open_steps = set(WorkItem.objects.filter(status="open").values_list("step", flat=True))
    assert {"draft", "section_review", "countersign", "office_check", "leader_review", "sign_off",
            "joint_sign_off", "numbering", "compose", "seal", "distribute", "archive", "register",
            "initial_review", "propose", "direct", "handle", "finish"} <= open_steps
    assert WorkItem.objects.filter(status="sent_back").exists()
    assert CoIssuer.objects.filter(status="pending", unit__name="鹤山区财政局").exists()
    assert Urge.objects.exists()
    assert Document.objects.exclude(rendered_pdf="").exclude(rendered_pdf__isnull=True).count() >= 4
    demo_users = {account.username for account in data.DEMO_ACCOUNTS}
    acted = set(WorkItem.objects.filter(acted_by__isnull=False, unit__name=data.DEMO_UNIT)
                .values_list("acted_by__username", flat=True))
    assert {"liusiyuan", "zhouxiaomei", "chenyaqin", "sunlixin", "gaojianguo", "yangxiaofan", "hexiulan",
            "wuzhiming"} <= acted & demo_users
