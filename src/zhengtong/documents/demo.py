"""Demo documents of 鹤山区农业农村局 in every state of the 发文 and 收文 processes (seed 004 三).

Everything goes through the real services, acted by the demo accounts (刘思远 drafts, 周晓梅 reviews,
陈雅琴 checks, 孙立新 reviews as deputy, 高建国 signs off and directs, 杨小帆 numbers, composes and
registers, 何秀兰 confirms the seal, 吴志明 handles). Rendered PDFs are kept in the data directory.
"""

from __future__ import annotations

import datetime
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.demo import data as demo_data
from zhengtong.directory.models import Department, Unit, User
from zhengtong.documents.models import Document
from zhengtong.documents.services import drafting, incoming, processing
from zhengtong.workflow.models import WorkItem

PARA, H1, H2 = 0, 1, 2


def _body(*blocks) -> list[dict]:
    return [{"level": level, "text": text} for level, text in blocks]


# (key, kind, title, main recipients, stop after, extra) — stop is the last step done.
OUTGOING = [
    ("draft", "notice", "关于举办2026年鹤山区农民丰收节系列活动的通知", "局属各科室，各镇（街道）农业农村办公室", "created", {}),
    ("draft2", "opinion", "关于做好2027年春耕备耕工作的意见", "各镇人民政府、各街道办事处", "created", {}),
    ("section", "notice", "关于开展农产品质量安全专项整治行动的通知", "各镇（街道）农业农村办公室", "submitted", {}),
    ("sentback", "request", "关于申请2027年高标准农田建设区级配套资金的请示", "鹤山区人民政府", "sent_back", {}),
    ("countersign", "notice", "关于印发《鹤山区农村集体经济组织财务管理办法》的通知", "各镇人民政府、各街道办事处",
     "countersign_one", {"countersign": ("农村改革科", "种植业管理科")}),
    ("office", "notice", "关于做好今冬明春动物疫病防控工作的通知", "各镇（街道）农业农村办公室", "section_review", {}),
    ("leader", "report", "鹤山区农业农村局2026年工作总结和2027年工作计划", "鹤山区人民政府", "office_check", {}),
    ("signoff", "decision", "关于表彰2026年度全区农业农村工作先进集体和先进个人的决定",
     "局属各科室，各镇（街道）农业农村办公室", "leader_review", {}),
    ("joint", "notice", "关于印发《鹤山区农业产业化龙头企业扶持资金管理办法》的通知", "各镇人民政府、各街道办事处",
     "joint_check", {"co_units": ("鹤山区财政局",)}),
    ("signed", "opinion", "关于推进农村人居环境整治提升的实施意见", "各镇人民政府、各街道办事处", "recheck", {}),
    ("numbered", "notice", "关于公布2026年区级农民专业合作社示范社名单的通知", "各镇（街道）农业农村办公室",
     "numbering", {}),
    ("composed", "notice", "关于加强秋冬季农机安全生产工作的通知", "各镇（街道）农业农村办公室，各农机专业合作社",
     "compose", {}),
    ("sealed", "notice", "关于做好2026年度政策性农业保险工作的通知", "各镇（街道）农业农村办公室", "seal", {}),
    ("distributed", "notice", "关于开展耕地保护专项检查的通知", "局属各科室", "distribute", {}),
    ("archived", "notice", "关于调整局机关内设机构工作分工的通知", "局属各科室", "archive", {}),
]

STOPS = ["created", "submitted", "sent_back", "section_review", "countersign_one", "countersign", "office_check",
         "leader_review", "sign_off", "recheck", "joint_check", "joint_sign_off", "numbering", "compose", "seal",
         "distribute", "archive"]

BODIES = {
    "draft": _body((PARA, "为庆祝第九个中国农民丰收节，展示全区乡村振兴成果，经研究，决定举办2026年鹤山区农民丰收节系列活动。现将有关事项通知如下。"),
                   (H1, "活动时间和地点"), (PARA, "2026年9月下旬，主会场设在青山镇田园综合体，各镇（街道）设分会场。"),
                   (H1, "活动内容"), (PARA, "开展农产品展销、农耕文化展示、农民趣味运动会和优秀新型职业农民表彰等活动。"),
                   (H1, "工作要求"), (PARA, "各单位要高度重视，精心组织，确保活动安全有序。")),
    "request": _body((PARA, "为加快推进高标准农田建设，提升粮食综合生产能力，我局拟于2027年在桃源镇、白石镇新建高标准农田1.2万亩。"),
                     (PARA, "按照省、市有关规定，项目总投资3600万元，其中需区级配套资金720万元。"),
                     (PARA, "妥否，请批示。")),
}
DEFAULT_BODY = _body(
    (PARA, "为深入贯彻落实中央和省、市关于“三农”工作的决策部署，结合我区实际，现就有关事项通知如下。"),
    (H1, "提高思想认识"), (PARA, "各单位要充分认识做好此项工作的重要意义，切实加强组织领导，明确责任分工。"),
    (H1, "明确工作任务"), (H2, "全面摸清底数"), (PARA, "各镇（街道）要组织力量逐村开展排查，建立工作台账。"),
    (H2, "抓好整改落实"), (PARA, "对排查发现的问题，要逐项制定整改措施，限期整改到位。"),
    (H1, "加强督促检查"), (PARA, "区农业农村局将适时组织督查，督查结果纳入年度乡村振兴实绩考核。"),
    (PARA, "请于12月15日前将工作开展情况报区农业农村局办公室。"),
)

# (key, title, kind, source unit, source number, stop after, extra)
INCOMING = [
    ("registered", "关于做好2026年冬季森林防火工作的通知", "notice", "鹤山区应急管理局", "鹤应急〔2026〕58号", "registered", {}),
    ("initial", "关于报送2026年度农业统计年报的通知", "notice", "鹤山区统计局", "鹤统计〔2026〕21号", "register", {}),
    ("propose", "关于征求《鹤山区国土空间总体规划（征求意见稿）》意见的函", "letter", "鹤山区自然资源局",
     "鹤自然资源函〔2026〕33号", "initial_review", {}),
    ("direct", "关于开展2026年度乡村振兴实绩考核工作的通知", "notice", "中共鹤山区委员会办公室", "鹤办〔2026〕47号",
     "propose", {}),
    ("overdue", "关于报送农村承包地确权登记颁证工作进展情况的函", "letter", "鹤山区自然资源局",
     "鹤自然资源函〔2026〕29号", "direct", {"overdue": True}),
    ("transferred", "关于做好农村危房改造竣工验收工作的通知", "notice", "鹤山区住房和城乡建设局", "鹤建〔2026〕65号",
     "transfer", {}),
    ("circulated", "关于下达2026年第二批中央财政衔接推进乡村振兴补助资金的通知", "notice", "鹤山区财政局",
     "鹤财农〔2026〕112号", "circulate", {}),
    ("finished", "关于做好2026年秋季学生资助政策宣传工作的通知", "notice", "鹤山区教育局", "鹤教〔2026〕88号",
     "finish", {}),
    ("archived", "关于开展2026年“质量月”活动的通知", "notice", "鹤山区市场监督管理局", "鹤市监〔2026〕40号",
     "archive", {}),
]
INCOMING_STOPS = ["registered", "register", "initial_review", "propose", "direct", "transfer", "handle",
                  "circulate", "finish", "archive"]


class _Demo:
    def __init__(self, stdout):
        self.stdout = stdout
        self.unit = Unit.objects.get(name=demo_data.DEMO_UNIT)
        self.people = {account.username: User.objects.get(username=account.username)
                       for account in demo_data.DEMO_ACCOUNTS}
        self.departments = {d.name: d for d in Department.objects.filter(unit=self.unit)}

    def person(self, username: str) -> User:
        return self.people[username]

    def item(self, document: Document, step: str, user: User | None = None) -> tuple[WorkItem, User]:
        for item in (WorkItem.objects.filter(status=WorkItem.Status.OPEN, step=step)
                     .select_related("instance").order_by("pk")):
            if item.instance.subject_id != str(document.pk):
                continue
            candidates = list(item.candidates.order_by("pk"))
            if user is not None and user not in candidates:
                continue
            item.instance.refresh_from_db()
            return item, user or candidates[0]
        raise RuntimeError(f"demo: no open {step} on {document.title}")

    def do(self, service, document: Document, step: str, user: User | None = None, **kwargs) -> None:
        item, actor = self.item(document, step, user)
        service(actor=actor, document=document, work_item=item, revision=item.instance.revision, **kwargs)
        document.refresh_from_db()

    # --- 发文 --------------------------------------------------------------------------------

    def outgoing(self, key, kind, title, recipients, stop, extra) -> Document:
        drafter = self.person("liusiyuan")
        co_units = [Unit.objects.get(name=name) for name in extra.get("co_units", ())]
        document = drafting.create_draft(
            actor=drafter, unit=self.unit, kind=kind, title=title, body=BODIES.get(key, BODIES.get(kind, DEFAULT_BODY)),
            department=self.departments["产业发展科"], main_recipients=recipients,
            cc="区委办，区政府办" if kind in ("notice", "opinion", "decision") else "",
            co_issuers=co_units, **({"signature": "\n".join([self.unit.name, *[u.name for u in co_units]])}
                                    if co_units else {}))
        level = STOPS.index(stop)
        if level < STOPS.index("submitted"):
            return document
        countersign = [self.departments[name] for name in extra.get("countersign", ())]
        processing.submit_draft(actor=drafter, document=document, countersign_departments=countersign)
        if stop == "sent_back":
            item, chief = self.item(document, "section_review", self.person("zhouxiaomei"))
            processing.send_back(actor=chief, document=document, work_item=item, revision=item.instance.revision,
                                 to_step="draft", reason="请示事项的资金测算依据不充分，请补充亩均投资标准后再报。")
            return document
        if level < STOPS.index("section_review"):
            return document
        self.do(processing.review, document, "section_review", self.person("zhouxiaomei"),
                opinion="同意，请办公室核稿。" if not countersign else "同意，请相关科室会签。")
        for index, department in enumerate(countersign):
            if stop == "countersign_one" and index == len(countersign) - 1:
                return document
            self.do(processing.review, document, "countersign",
                    opinion=f"{department.name}无不同意见。")
        if level < STOPS.index("office_check"):
            return document
        self.do(processing.review, document, "office_check", self.person("chenyaqin"),
                opinion="文字已核，格式规范，请孙局长审核。")
        if level < STOPS.index("leader_review"):
            return document
        self.do(processing.review, document, "leader_review", self.person("sunlixin"), opinion="同意，呈高局长签发。")
        if level < STOPS.index("sign_off"):
            return document
        self.do(processing.sign_off, document, "sign_off", self.person("gaojianguo"), opinion="同意印发。")
        if level < STOPS.index("recheck") and not co_units:
            return document
        self.do(processing.review, document, "recheck", self.person("chenyaqin"), opinion="已复核。")
        if co_units:
            self.do(processing.review, document, "joint_check", opinion="经核，同意联合印发。")
            if stop == "joint_check":
                return document
            self.do(processing.joint_sign_off, document, "joint_sign_off", opinion="同意。")
        if level < STOPS.index("numbering"):
            return document
        self.do(processing.take_number, document, "numbering", self.person("yangxiaofan"))
        if level < STOPS.index("compose"):
            return document
        self.do(processing.compose, document, "compose", self.person("yangxiaofan"))
        if level < STOPS.index("seal"):
            return document
        self.do(processing.confirm_seal, document, "seal", self.person("hexiulan"), opinion="已用印。")
        if level < STOPS.index("distribute"):
            return document
        self.do(processing.distribute, document, "distribute", self.person("yangxiaofan"),
                people=[self.person(name).pk for name in ("sunlixin", "gaojianguo", "zhouxiaomei")],
                departments=[self.departments["农村改革科"].pk])
        processing.mark_read(user=self.person("sunlixin"), document=document)
        processing.mark_read(user=self.person("wuzhiming"), document=document)
        if level < STOPS.index("archive"):
            return document
        self.do(processing.archive, document, "archive", self.person("yangxiaofan"))
        return document

    # --- 收文 --------------------------------------------------------------------------------

    def incoming(self, key, title, kind, source, number, stop, extra) -> Document:
        clerk = self.person("yangxiaofan")
        level = INCOMING_STOPS.index(stop)
        document = incoming.register_paper_document(
            actor=clerk, unit=self.unit, title=title, kind=kind, source_unit_name=source, source_number=number,
            copies=2 if kind == "notice" else 1, urgency="urgent" if key in ("overdue", "direct") else "normal",
            received_at=timezone.now() - datetime.timedelta(days=12 - level, hours=2),
            notes="纸质来文，原件存办公室。", submit=level >= INCOMING_STOPS.index("register"))
        if level < INCOMING_STOPS.index("initial_review"):
            return document
        self.do(incoming.review_incoming, document, "initial_review", self.person("chenyaqin"),
                opinion="来文要素齐全，属我局职责范围。")
        if level < INCOMING_STOPS.index("propose"):
            return document
        lead = "种植业管理科" if key == "transferred" else "农村改革科"
        self.do(incoming.review_incoming, document, "propose", self.person("chenyaqin"),
                opinion=f"拟请{lead}牵头办理，呈高局长阅示。")
        if level < INCOMING_STOPS.index("direct"):
            return document
        readers = [self.person("sunlixin").pk] if key in ("circulated", "finished", "archived") else []
        co = [self.departments["种植业管理科"].pk] if key in ("finished", "archived", "circulated") else []
        self.do(incoming.direct, document, "direct", self.person("gaojianguo"),
                directive=f"请{lead}牵头认真研究办理，按时报送结果。请孙局长阅。" if readers else f"请{lead}牵头办理。",
                lead_department=self.departments[lead].pk, co_departments=co,
                deadline_days=5 if extra.get("overdue") else 10, circulate_to=readers)
        if extra.get("overdue"):
            item, _person = self.item(document, "handle")
            item.due_at = timezone.now() - datetime.timedelta(days=2)
            item.save(update_fields=["due_at"])
            incoming.urge(actor=clerk, document=document, work_item=item, note="已超过办理时限，请尽快办理并报送。")
            return document
        if level < INCOMING_STOPS.index("transfer"):
            return document
        if key == "transferred":
            self.do(incoming.transfer, document, "handle", reason="经核，危房改造验收属农村改革科职责，转农村改革科办理。",
                    to_department=self.departments["农村改革科"].pk)
            return document
        if level < INCOMING_STOPS.index("handle"):
            return document
        self.do(incoming.handle, document, "handle", self.person("wuzhiming"),
                opinion="已按要求完成资料汇总，经分管领导审核后报送。")
        for _index in co:
            self.do(incoming.handle, document, "co_handle", opinion="已配合提供相关数据。")
        if readers:
            self.do(incoming.mark_circulated, document, "circulate", self.person("sunlixin"), note="已阅。")
        if level < INCOMING_STOPS.index("finish"):
            return document
        self.do(incoming.finish, document, "finish", self.person("wuzhiming"),
                result="已于规定时限内办结，结果已报来文单位。")
        if level < INCOMING_STOPS.index("archive"):
            return document
        self.do(processing.archive, document, "archive", clerk)
        return document


def load_demo(*, result, stdout) -> None:
    """Demo documents in every state of both processes (seed 004 三), in one transaction."""
    started = time.monotonic()
    with transaction.atomic():
        demo = _Demo(stdout)
        for row in OUTGOING:
            demo.outgoing(*row)
        for row in INCOMING:
            demo.incoming(*row)
    stdout(_("Official documents: %(outgoing)d outgoing and %(incoming)d incoming demo documents (%(seconds).0f s)")
           % {"outgoing": len(OUTGOING), "incoming": len(INCOMING), "seconds": time.monotonic() - started})
