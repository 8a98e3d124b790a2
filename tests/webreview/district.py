"""Builders: a district with the seed-000 reviewing offices, a website with two columns, and their people."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class District:
    cast: object
    home: object
    agriculture: object  # column 农业, owned by 农业局
    news: object  # column 新闻快报
    officer: object  # 农业局 信息员
    leader: object  # 农业局 局长
    legal: object  # 司法局 法制室 审核人
    legal_elsewhere: object  # 司法局 审核人, but in 社区矫正科
    secrecy: object  # 保密局 保密监督科 审核人
    web: object  # 区政府办 网维办 审核人
    gov_leader: object  # 区政府办 主任
    publicity: object  # 区委宣传部 审核人
    gov_officer: object  # 区政府办 信息员 (新闻快报 belongs to 区政府办)
    password: str = "Zt-Test-Pass-2026"


def _person(unit, name, role_codes, department=None, title="", email=""):
    from zhengtong.directory import services as directory

    user, _ = directory.create_person(actor=None, unit=unit, name=name, department=department, title=title,
                                      role_codes=role_codes, email=email)
    user.set_password(District.password)
    user.must_change_password = False
    user.save()
    return user


def build_district(cast) -> District:
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory
    from zhengtong.directory.models import Unit, UnitCategory
    from zhengtong.portal.models import ColumnPage

    party = UnitCategory.objects.get(code="dangqun")
    government = UnitCategory.objects.get(code="zhengfu")
    gov_office = Unit.objects.get(name="鹤山区人民政府办公室")
    justice = directory.register_unit(actor=None, name="鹤山区司法局", short_name="区司法局", code="JUS001",
                                      category=government)
    secrecy = directory.register_unit(actor=None, name="鹤山区国家保密局", short_name="区保密局", code="SEC001",
                                      category=party)
    propaganda = directory.register_unit(actor=None, name="中共鹤山区委员会宣传部", short_name="区委宣传部",
                                         code="PUB001", category=party)
    dept = directory.create_department
    web_office = dept(actor=None, unit=gov_office, name="网维办")
    legal_office = dept(actor=None, unit=justice, name="法制室")
    corrections = dept(actor=None, unit=justice, name="社区矫正科")
    supervision = dept(actor=None, unit=secrecy, name="保密监督科")
    news_section = dept(actor=None, unit=propaganda, name="新闻科")

    officer = _person(cast.unit, "信息员庚", [roles.INFO_OFFICER], cast.office, "科员", email="officer@example.test")
    people = dict(
        officer=officer,
        leader=cast.leader,
        legal=_person(justice, "法制审核辛", [roles.CONTENT_REVIEWER], legal_office, email="legal@example.test"),
        legal_elsewhere=_person(justice, "矫正科壬", [roles.CONTENT_REVIEWER], corrections),
        secrecy=_person(secrecy, "保密审核癸", [roles.CONTENT_REVIEWER], supervision),
        web=_person(gov_office, "网维审核子", [roles.CONTENT_REVIEWER], web_office),
        gov_leader=_person(gov_office, "政府办主任丑", [roles.PRINCIPAL_LEADER], None, "主任"),
        publicity=_person(propaganda, "宣传审核寅", [roles.CONTENT_REVIEWER], news_section),
    )

    # The website's own column tree (the portal creates it after migrate; owners set here, as in /cms/).
    from zhengtong.portal import services as portal

    home = portal.ensure_site_tree().home
    agriculture = ColumnPage.objects.descendant_of(home).get(column_key="agriculture")
    agriculture.owner_unit = cast.unit
    agriculture.save()
    news = ColumnPage.objects.descendant_of(home).get(column_key="news")
    news.owner_unit = gov_office
    news.save()
    people["gov_officer"] = _person(gov_office, "政府办信息员卯", [roles.INFO_OFFICER], web_office)
    portal.sync_cms_permissions()
    return District(cast=cast, home=home, agriculture=agriculture, news=news, **people)


def new_article(column, *, title="农业产业园建设取得新进展", body="<p>今年全区新增高标准农田一万亩。</p>", unit=None,
                user=None):
    """A draft article with one revision (as an information officer saves it in the editor)."""
    from zhengtong.portal.models import ArticlePage

    article = column.add_child(instance=ArticlePage(title=title, body=body, live=False, source_unit=unit))
    article.save_revision(user=user)
    return article
