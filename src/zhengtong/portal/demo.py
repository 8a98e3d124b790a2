"""Demo website content: the column tree, editors' rights and about 200 articles over 2026.

Articles are spread so that the update quotas of seed 000 (一)3 show every state: some columns and
units meet theirs, some fall behind, some miss a month or a week.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

SEED = 2026
TODAY = date(2026, 11, 21)

TOPICS = ["春耕备耕", "乡村振兴", "营商环境", "招商引资", "安全生产", "防汛备汛", "秋粮收购", "项目建设",
          "民生实事", "政务公开", "数字政府", "为民办实事", "优化服务", "文明创建", "生态环境保护"]
NEWS_TITLES = ["{unit}召开{topic}工作推进会", "区政府常务会议研究部署{topic}工作", "鹤山区{topic}取得阶段性成效",
               "区领导带队调研{topic}工作", "{unit}扎实推进{topic}", "全区{topic}工作会议召开"]
GENERAL_TITLES = ["{unit}{topic}工作简报（第{n}期）", "{unit}开展{topic}专项检查", "{unit}部署{topic}重点任务",
                  "{unit}多措并举抓好{topic}", "关于{topic}工作进展情况的通报", "{unit}召开{topic}专题会议"]
COLUMN_TITLES = {
    "investment": ["鹤山区{n}个重点招商项目集中签约", "区商务局赴外地开展{topic}推介活动", "鹤山区优化{topic}服务举措出台",
                   "重点企业投资项目进展情况（第{n}期）"],
    "culture_tourism": ["鹤山区推出{n}条乡村旅游精品线路", "第{n}届鹤山文化旅游节开幕", "青山古镇景区提质改造完工",
                        "区文化和旅游局开展文旅市场安全检查"],
    "industry": ["全区规模以上工业增加值稳步增长", "鹤山工业园区新增{n}家规上企业", "区商务局推进工业企业技术改造",
                 "工业经济运行分析会召开"],
    "agriculture": ["{unit}部署{topic}工作", "鹤山区高标准农田建设完成{n}万亩", "桃源镇特色水果喜获丰收",
                    "农业技术人员深入田间指导生产", "区农业农村局开展农资打假专项行动", "鹤山区秋粮收购有序推进"],
    "urban_rural": ["城乡一体化示范片区建设加快推进", "{unit}推进城乡公共服务均等化", "白石镇农村人居环境整治见成效",
                    "城乡供水一体化工程完成第{n}期"],
    "finance_tax": ["前{n}个月全区一般公共预算收入情况", "区财政局落实减税降费政策", "财政资金直达基层惠企利民",
                    "区财政局开展预算绩效评价"],
    "theory": ["关于推进{topic}的几点思考", "新时代基层治理中的{topic}路径研究", "以{topic}促进县域高质量发展",
               "{topic}与政府职能转变", "浅谈{topic}中的政务公开"],
    "messages": ["市民留言办理情况公示（{month}月）"], "mayor_mailbox": ["区长信箱来信办理情况（{month}月）"],
    "survey": ["关于{topic}的网上调查结果"],
    "disclosure": ["鹤山区{topic}政府信息公开", "鹤山区人民政府关于{topic}的通知", "{unit}{topic}信息公开目录更新",
                   "关于公开征求{topic}意见的公告"],
    "dept_news": ["{unit}召开{topic}工作会议", "{unit}开展{topic}主题活动", "{unit}扎实推进{topic}",
                  "{unit}领导班子专题学习{topic}", "{unit}{topic}工作取得新进展"],
    "dept_work": ["{unit}{year}年工作简介"], "dept_profile": ["{unit}简介"],
}
OPENINGS = ["近日，{unit}召开专题会议，研究部署{topic}工作。",
            "为深入贯彻落实区委、区政府决策部署，{unit}围绕{topic}扎实开展各项工作。",
            "{date}，{unit}组织相关科室负责同志就{topic}进行专题研究。",
            "今年以来，{unit}坚持问题导向，把{topic}作为重点工作来抓。"]
MIDDLES = ["会议指出，要进一步提高思想认识，压实工作责任，确保各项任务按时保质完成。",
           "截至目前，已完成年度目标任务的{pct}%，各项工作有序推进。",
           "工作中，{unit}建立周调度、月通报机制，及时协调解决存在的困难和问题。",
           "下一步，将持续加强督促检查，对进展滞后的事项实行挂牌督办。",
           "群众对{topic}工作的满意度明显提升，相关做法得到上级部门肯定。",
           "{unit}坚持“谁主管、谁负责”的原则，落实信息报送和审核制度。",
           "此次活动共发放宣传资料{n}份，接受群众咨询{m}人次。"]
CLOSINGS = ["下一步，{unit}将认真总结经验，推动{topic}工作再上新台阶。",
            "{unit}表示，将以此为契机，进一步提升服务水平，为全区经济社会发展作出新的贡献。",
            "会议要求，各科室要加强协作配合，确保各项工作落到实处。"]
PROFILE = ("<p>{unit}是鹤山区人民政府工作部门，主要负责贯彻执行国家、省、市有关方针政策和法律法规，"
           "拟订本区相关发展规划并组织实施。</p><p>内设办公室、业务科室等机构，办公地址：鹤山区人民路{n}号，"
           "办公时间：工作日上午8:30—12:00，下午14:30—17:30。</p>")


def _weekly(rng, *, weeks: int, skip: float) -> list[date]:
    """One date per week for the last ``weeks`` weeks, missing some weeks with probability ``skip``."""
    out = []
    monday = TODAY - timedelta(days=TODAY.weekday())
    for i in range(weeks):
        start = monday - timedelta(weeks=i)
        if rng.random() < skip:
            continue
        day = start + timedelta(days=rng.randint(0, 4))
        if day <= TODAY:
            out.append(day)
    return out


def _monthly(rng, per_month: dict[int, int]) -> list[date]:
    out = []
    for month, count in per_month.items():
        last = 30 if month in (4, 6, 9, 11) else (28 if month == 2 else 31)
        if month == TODAY.month:
            last = TODAY.day
        for _ in range(count):
            out.append(date(2026, month, rng.randint(1, last)))
    return out


def _when(rng, day: date) -> datetime:
    moment = datetime.combine(day, time(rng.randint(8, 17), rng.choice([0, 10, 20, 30, 40, 50])))
    return timezone.make_aware(moment)


def _body(rng, unit_name: str, topic: str, day: date) -> str:
    values = {"unit": unit_name, "topic": topic, "date": f"{day.month}月{day.day}日",
              "pct": rng.randint(60, 98), "n": rng.randint(200, 3000), "m": rng.randint(50, 900)}
    paragraphs = [rng.choice(OPENINGS)] + rng.sample(MIDDLES, rng.randint(2, 3)) + [rng.choice(CLOSINGS)]
    return "".join(f"<p>{p.format(**values)}</p>" for p in paragraphs)


def _picture(rng, index: int):
    """A 4000 × 3000 PNG drawn with Pillow, as a camera might upload it (normalised on upload)."""
    from PIL import Image, ImageDraw

    width, height = 1600, 1200
    sky = (rng.randint(120, 180), rng.randint(170, 210), rng.randint(220, 250))
    picture = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(picture)
    ground = (rng.randint(60, 110), rng.randint(130, 170), rng.randint(50, 90))
    draw.rectangle([0, height * 3 // 5, width, height], fill=ground)
    for _ in range(6):
        x = rng.randint(0, width)
        draw.polygon([(x - 300, height * 3 // 5), (x, rng.randint(250, 500)), (x + 300, height * 3 // 5)],
                     fill=(rng.randint(70, 110), rng.randint(100, 140), rng.randint(80, 120)))
    draw.ellipse([width - 320, 80, width - 160, 240], fill=(255, 220, 120))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    out.seek(0)
    out.name = f"demo-{index}.png"
    out.size = len(out.getvalue())
    return out


class _Writer:
    def __init__(self, rng):
        self.rng = rng
        self.count = 0
        self.images = 0
        from zhengtong.directory import roles
        from zhengtong.directory.models import RoleAssignment

        self.officers = {}
        for assignment in (RoleAssignment.objects.filter(role__code=roles.INFO_OFFICER)
                           .select_related("user").order_by("id")):
            self.officers.setdefault(assignment.unit_id, assignment.user)

    def article(self, column, day: date, *, unit, title_templates, topic=None, picture=False, body=None):
        from zhengtong.portal import services
        from zhengtong.portal.models import ArticlePage

        rng = self.rng
        topic = topic or rng.choice(TOPICS)
        unit_name = unit.name if unit else "鹤山区人民政府办公室"
        title = rng.choice(title_templates).format(unit=unit.short_name.removeprefix("区") if unit else "区政府办",
                                                   topic=topic, n=rng.randint(2, 12), month=day.month,
                                                   year=day.year)
        officer = self.officers.get(unit.pk) if unit else None
        moment = _when(rng, day)
        page = ArticlePage(title=title, slug=f"a{SEED}{self.count:04d}", body=body or _body(rng, unit_name, topic, day),
                           summary="", source_unit=unit, author_name=officer.name if officer else "",
                           submitted_by=officer, views=rng.randint(15, 2400),
                           first_published_at=moment, last_published_at=moment)
        if picture:
            self.images += 1
            image = services.add_image(actor=None, title=title, file=_picture(rng, self.images))
            page.cover_image = image
            page.cover_caption = f"{title}（{unit.short_name if unit else '区政府办'}供图）"
        page.live = True
        column.add_child(instance=page)
        # The version that went through the review chain and was published on that day.
        revision = page.save_revision(user=officer, log_action=False, changed=False, clean=False)
        ArticlePage.objects.filter(pk=page.pk).update(live_revision=revision, has_unpublished_changes=False,
                                                      last_published_at=moment,
                                                      latest_revision_created_at=moment)
        type(revision).objects.filter(pk=revision.pk).update(created_at=moment)
        self.count += 1
        return page


@transaction.atomic
def load_demo(*, result, stdout) -> None:
    """Build the column tree, give roles their /cms/ rights, write the demo articles."""
    from zhengtong.portal import selectors, services
    from zhengtong.portal.columns import ColumnKey
    from zhengtong.portal.models import ArticlePage, ColumnPage

    tree = services.ensure_site_tree()
    services.sync_cms_permissions()
    stdout(f"网站栏目：新建或补全 {len(tree.created)} 个页面，编辑权限已按角色同步")
    if ArticlePage.objects.exists():
        stdout("网站文章已存在，跳过")
        return
    home = tree.home
    rng = random.Random(SEED)
    writer = _Writer(rng)

    def column(key):
        return ColumnPage.objects.descendant_of(home).filter(column_key=key).order_by("path").first()

    def owner(page):
        return selectors.responsible_unit_of(page) if page is not None else None

    if home.layout == "office":
        for key in [k for k in ColumnKey.values if k.startswith("office_")]:
            page = column(key)
            for day in _monthly(rng, {m: rng.randint(0, 2) for m in range(1, 12)}):
                writer.article(page, day, unit=owner(page), title_templates=GENERAL_TITLES)
        stdout(f"网站文章：{writer.count} 篇")
        return

    # 新闻快报: at least 1 a month — August missed.
    news = column(ColumnKey.NEWS)
    for i, day in enumerate(_monthly(rng, {m: (0 if m == 8 else (2 if m in (3, 10) else 1)) for m in range(1, 12)})):
        writer.article(news, day, unit=rng.choice([owner(news), news.owner_unit]), title_templates=NEWS_TITLES,
                       picture=i % 3 == 0)
    # 综合信息: at least 8 a month — October met, November behind, earlier months short.
    general = column(ColumnKey.GENERAL)
    from zhengtong.directory.models import Unit

    units = list(Unit.objects.filter(status=Unit.Status.ACTIVE).order_by("sort_order", "id"))
    for day in _monthly(rng, {**{m: 3 for m in range(1, 10)}, 10: 8, 11: 5}):
        writer.article(general, day, unit=rng.choice(units), title_templates=GENERAL_TITLES)
    # 招商引资、文化旅游、专题专栏 and its four groups: at least weekly.
    for key, weeks, skip, pictures in [(ColumnKey.INVESTMENT, 12, 0.15, 1), (ColumnKey.CULTURE_TOURISM, 10, 0.3, 2),
                                       (ColumnKey.INDUSTRY, 8, 0.35, 0), (ColumnKey.AGRICULTURE, 12, 0.0, 2),
                                       (ColumnKey.URBAN_RURAL, 8, 0.6, 0), (ColumnKey.FINANCE_TAX, 8, 0.3, 0)]:
        page = column(key)
        for i, day in enumerate(_weekly(rng, weeks=weeks, skip=skip)):
            writer.article(page, day, unit=owner(page), title_templates=COLUMN_TITLES[key], picture=i < pictures)
    # 理论研讨: at least 5 a year.
    theory = column(ColumnKey.THEORY)
    for day in _monthly(rng, {2: 1, 4: 1, 6: 1, 9: 1, 11: 1}):
        writer.article(theory, day, unit=rng.choice(units), title_templates=COLUMN_TITLES["theory"])
    for key in (ColumnKey.MESSAGES, ColumnKey.MAYOR_MAILBOX, ColumnKey.SURVEY):
        page = column(key)
        for day in _monthly(rng, {9: 1, 10: 1}):
            writer.article(page, day, unit=owner(page), title_templates=COLUMN_TITLES[key])
    disclosure = column(ColumnKey.DISCLOSURE)
    for day in _monthly(rng, {m: 1 for m in (1, 3, 5, 7, 9, 11)}):
        writer.article(disclosure, day, unit=owner(disclosure), title_templates=COLUMN_TITLES["disclosure"])

    # 部门: weekly work news from some units (农业局 keeps up, others fall behind or miss), a yearly
    # work overview and a profile.
    sections = {section.owner_unit_id: section for section in
                ColumnPage.objects.descendant_of(home).filter(column_key=ColumnKey.DEPT).select_related("owner_unit")}
    diligence = {"鹤山区农业农村局": (12, 0.0), "鹤山区财政局": (10, 0.4), "鹤山区商务局": (8, 0.3),
                 "鹤山区文化和旅游局": (8, 0.5), "鹤山区人民政府办公室": (6, 0.2)}
    for index, unit in enumerate(units):
        section = sections.get(unit.pk)
        if section is None:
            continue
        weeks, skip = diligence.get(unit.name, (6, 0.75) if index % 3 == 0 else (0, 1.0))
        news_column = ColumnPage.objects.child_of(section).get(column_key=ColumnKey.DEPT_NEWS)
        for day in _weekly(rng, weeks=weeks, skip=skip):
            writer.article(news_column, day, unit=unit, title_templates=COLUMN_TITLES["dept_news"])
        if unit.name in diligence or index % 3 == 0:
            work = ColumnPage.objects.child_of(section).get(column_key=ColumnKey.DEPT_WORK)
            writer.article(work, date(2026, rng.randint(1, 3), rng.randint(1, 28)), unit=unit,
                           title_templates=COLUMN_TITLES["dept_work"])
            profile = ColumnPage.objects.child_of(section).get(column_key=ColumnKey.DEPT_PROFILE)
            writer.article(profile, date(2026, 1, rng.randint(5, 20)), unit=unit,
                           title_templates=COLUMN_TITLES["dept_profile"],
                           body=PROFILE.format(unit=unit.name, n=rng.randint(1, 300)))
    services.invalidate_public_cache()
    stdout(f"网站文章：{writer.count} 篇（其中 {writer.images} 篇配图）")
