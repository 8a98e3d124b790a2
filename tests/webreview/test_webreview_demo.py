"""The demo loader: chains, a placeholder forbidden-word list, articles at every stage; run twice, same result."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_demo_articles_stand_at_every_stage(district):
    from zhengtong.portal.models import ArticlePage
    from zhengtong.webreview import demo
    from zhengtong.webreview.models import ForbiddenWord

    lines: list[str] = []
    demo.load_demo(result=None, stdout=lines.append)

    def article(title):
        return ArticlePage.objects.get(title=title)

    assert ForbiddenWord.objects.count() == len(demo.STARTER_WORDS) == 9
    assert set(ForbiddenWord.objects.values_list("category", flat=True)) == set(ForbiddenWord.Category.values)
    assert article("鹤山区冬小麦播种基本完成").current_workflow_task.name == "单位领导审核"
    assert article("区农业农村局开展冬季农业安全生产检查").current_workflow_task.name == "网维办审核"
    returned = article("桃源镇设施蔬菜基地建设情况").current_workflow_state
    assert returned.status == "needs_changes" and "已废止" in returned.current_task_state.comment
    published = article("鹤山区2026年高标准农田建设任务全面完成")
    assert published.live and published.review_opinions.count() == 6
    news = article(demo.NEWS_TITLE)
    assert not news.live and news.current_workflow_task.name == "宣传部审核"

    demo.load_demo(result=None, stdout=lines.append)
    assert ArticlePage.objects.filter(title=demo.NEWS_TITLE).count() == 1
    assert any("跳过" in line for line in lines)
