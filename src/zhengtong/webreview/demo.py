"""Demo data for website review: the default chains, a starter forbidden-word list, and articles at
every stage of the seed-000 chain (waiting at the unit leader, waiting at 网维办, returned by 法制室,
approved through the chain after one return, 新闻快报 waiting at 宣传部).

The forbidden words are neutral placeholders (测试…词): the real list is the operator's to keep.
"""

from __future__ import annotations

from django.db import transaction

#: (word, category): one placeholder per category of seed 003 第十九条.
STARTER_WORDS = [
    ("测试违宪词", "constitution"), ("测试泄密词", "security"), ("测试国家荣誉违禁词", "honour"),
    ("测试民族歧视词", "ethnic"), ("测试宗教违禁词", "religion"), ("测试谣言词", "rumour"),
    ("测试赌博词", "obscene"), ("测试诽谤词", "insult"), ("测试违禁词", "other"),
]

AGRICULTURE = [
    # (title, how far it gets)
    ("鹤山区冬小麦播种基本完成", "at_leader"),
    ("区农业农村局开展冬季农业安全生产检查", "at_web_office"),
    ("桃源镇设施蔬菜基地建设情况", "returned_by_legal"),
    ("鹤山区2026年高标准农田建设任务全面完成", "published_after_return"),
]
NEWS_TITLE = "区政府召开冬季农业生产工作会议"
BODY = ("<p>近日，{unit}召开专题会议，研究部署相关工作。会议要求，各科室要压实责任，确保各项任务按时完成。</p>"
        "<p>下一步，{unit}将持续加强督促检查，推动工作落到实处。</p>")


def load_demo(*, result, stdout) -> None:
    from zhengtong.webreview import services
    from zhengtong.webreview.models import ForbiddenWord

    done = services.ensure_default_chains()
    stdout(f"网站审核：{done['chains']} 条审核链，新指定 {done['assigned']} 个栏目")
    with transaction.atomic():
        for word, category in STARTER_WORDS:
            ForbiddenWord.objects.get_or_create(word=word, defaults={"category": category,
                                                                     "note": "演示用占位词"})
    stdout(f"违禁词：{ForbiddenWord.objects.count()} 个（演示用占位词）")
    count = _articles(stdout)
    stdout(f"审核中的演示文章：{count} 篇")


def _first(people):
    return people.order_by("pk").first()


def _decide(article, decision="approve", opinion=""):
    from wagtail.models import Page

    from zhengtong.webreview import services

    article = Page.objects.get(pk=article.pk).specific
    state = article.current_workflow_task_state
    task = state.task.specific
    approver = _first(task.approvers(article))
    if approver is None:
        raise LookupError(f"no approver for {task.name}")
    services.decide(actor=approver, task_state=state, decision=decision, opinion=opinion)


def _articles(stdout) -> int:
    from zhengtong.directory import roles
    from zhengtong.directory.models import RoleAssignment
    from zhengtong.portal.models import ArticlePage, ColumnPage
    from zhengtong.webreview import services

    agriculture = ColumnPage.objects.filter(column_key="agriculture").order_by("path").first()
    news = ColumnPage.objects.filter(column_key="news").order_by("path").first()
    if agriculture is None or agriculture.owner_unit is None:
        stdout("网站审核：没有“农业”栏目或其责任单位，跳过演示文章")
        return 0
    if ArticlePage.objects.filter(title=AGRICULTURE[0][0]).exists():
        stdout("网站审核：演示文章已存在，跳过")
        return 0

    def officer_of(unit):
        assignment = (RoleAssignment.objects.filter(unit=unit, role__code=roles.INFO_OFFICER)
                      .select_related("user").order_by("user__username").first())
        return assignment.user if assignment else None

    count = 0
    officer = officer_of(agriculture.owner_unit)
    if officer is None:
        stdout("网站审核：农业局没有信息员，跳过演示文章")
        return 0
    steps = {
        "at_leader": [],
        "at_web_office": [("approve", "同意报送"), ("approve", "无法律问题"), ("approve", "不涉密")],
        "returned_by_legal": [("approve", "同意报送"), ("reject", "第二段引用的规定已废止，请核实后修改")],
        "published_after_return": [("approve", "同意报送"), ("approve", "无法律问题"),
                                   ("reject", "请删去具体仓储地点"), "resubmit", ("approve", "已修改，不涉密"),
                                   ("approve", "格式规范"), ("approve", "同意发布")],
    }
    for title, stage in AGRICULTURE:
        article = _new_article(agriculture, title, officer)
        services.submit_for_review(actor=officer, page=article)
        for step in steps[stage]:
            if step == "resubmit":
                article.refresh_from_db()
                article.get_latest_revision_as_object().save_revision(user=officer)
                services.submit_for_review(actor=officer, page=article)
            else:
                _decide(article, *step)
        count += 1

    if news is not None and news.owner_unit is not None and (news_officer := officer_of(news.owner_unit)):
        article = _new_article(news, NEWS_TITLE, news_officer)
        services.submit_for_review(actor=news_officer, page=article)
        for opinion in ("同意报送", "无法律问题", "不涉密", "格式规范", "同意报宣传部"):
            _decide(article, "approve", opinion)
        count += 1
    return count


def _new_article(column, title, officer):
    from zhengtong.portal.models import ArticlePage

    unit = column.owner_unit
    article = column.add_child(instance=ArticlePage(
        title=title, body=BODY.format(unit=unit.name), live=False, source_unit=unit, owner=officer,
        author_name=officer.name))
    article.save_revision(user=officer)
    return article
