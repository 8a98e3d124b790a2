"""Demo exchange (`zhengtong demo`, after the seals): sealed documents sent between the demo units on real
2026 working days, with receipts in every state — unopened, opened, checked, printed, signed for (inside
and outside the receiving windows), returned, overdue — and the windows of those days closed.

Everything goes through the real services with explicit times (``at=``): 区农业农村局 sends its sealed
通知 to the towns and streets three working days ago; 区财政局, 区应急管理局, 区教育局 and 区委办 send to
区农业农村局 and others, so its clerk 杨小帆 (demo account) has a full inbox. The other units' documents go
through their own 发文 process (drafted, reviewed, signed off, numbered, composed and sealed by their people).
"""

from __future__ import annotations

import datetime
import inspect
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.demo import data as demo_data
from zhengtong.directory import roles
from zhengtong.directory.models import RoleAssignment, Unit, User
from zhengtong.documents.models import Document
from zhengtong.exchange.models import Delivery, Dispatch
from zhengtong.workdays import selectors as workdays

PARA, H1 = 0, 1


def _body(*paragraphs: str) -> list[dict]:
    return [{"level": PARA if not text.startswith("#") else H1, "text": text.lstrip("#")} for text in paragraphs]


# Documents other units write and send (unit, kind, title, recipients line, body)
OTHER_DOCUMENTS = {
    "finance": ("鹤山区财政局", "notice", "关于做好2027年区级部门预算编制工作的通知", "区直各单位",
                _body("根据《中华人民共和国预算法》及其实施条例，现就做好2027年区级部门预算编制工作通知如下。",
                      "#编制原则", "坚持量入为出、收支平衡，严格控制一般性支出，保障基本民生和重点项目支出。",
                      "#报送要求", "请各单位于12月10日前通过预算管理一体化系统报送部门预算草案。")),
    "emergency": ("鹤山区应急管理局", "notice", "关于做好寒潮天气防御工作的紧急通知",
                  "各镇人民政府、各街道办事处，区直各单位",
                  _body("据气象部门预报，受强冷空气影响，我区未来三天将出现寒潮天气，最低气温降至2℃以下。",
                        "#加强值班值守", "各单位要严格落实24小时值班和领导带班制度，确保信息畅通。",
                        "#做好农业防寒", "区农业农村局要指导各镇（街道）做好农作物、畜禽和水产养殖防寒工作。")),
    "education": ("鹤山区教育局", "letter", "关于商请支持开展中小学生劳动教育实践基地建设的函", "鹤山区农业农村局",
                  _body("为贯彻落实《关于全面加强新时代大中小学劳动教育的意见》，我局拟在全区建设一批中小学生劳动教育实践基地。",
                        "现商请贵局推荐一批条件成熟的现代农业园区、家庭农场作为实践基地，并给予业务指导。",
                        "请于12月20日前将推荐名单函复我局。")),
    "party": ("中共鹤山区委员会办公室", "notice", "关于做好2026年度述职评议考核工作的通知", "区直各单位",
              _body("根据区委工作安排，现就做好2026年度各单位领导班子和领导干部述职评议考核工作通知如下。",
                    "#考核对象", "区直各单位领导班子及其成员。",
                    "#时间安排", "述职评议工作于2027年1月上旬集中进行，具体时间另行通知。")),
}


def _holder(unit: Unit, code: str) -> User:
    assignment = (RoleAssignment.objects.filter(unit=unit, role__code=code, user__status=User.Status.ACTIVE)
                  .order_by("user__memberships__sort_order", "user_id").select_related("user").first())
    if assignment is None:
        raise RuntimeError(f"demo: nobody in {unit.name} holds {code}")
    return assignment.user


def _clerk(unit: Unit) -> User:
    return _holder(unit, roles.CLERK)


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class _Exchange:
    def __init__(self):
        self.now = timezone.now()
        today = timezone.localdate(self.now)
        # Working days before today (real 2026 calendar: weekends, holidays and 调休 counted)
        self.days = [workdays.add_working_days(today, -n) for n in range(1, 6)]
        self.units = {unit.name: unit for unit in Unit.objects.select_related("category")}
        self.dispatches: list[Dispatch] = []

    def unit(self, name: str) -> Unit:
        return self.units[name]

    # --- sending ------------------------------------------------------------------------------

    def document_of(self, key: str) -> Document:
        """An outgoing document of another unit, through its whole 发文 process up to the seal."""
        from zhengtong.documents.services import drafting, processing

        unit_name, kind, title, recipients, body = OTHER_DOCUMENTS[key]
        unit = self.unit(unit_name)
        drafter = _holder(unit, roles.DRAFTER)
        department = drafter.memberships.filter(unit=unit).values_list("department", flat=True).first()
        document = drafting.create_draft(actor=drafter, unit=unit, kind=kind, title=title, body=body,
                                         department=unit.departments.filter(pk=department).first(),
                                         main_recipients=recipients)
        processing.submit_draft(actor=drafter, document=document)
        _run_to_distribution(document)
        return document

    def send(self, document: Document, *, main: list[str], copy: list[str] = (), at: datetime.datetime,
             category: str = Dispatch.Category.DOCUMENT, copies: int = 2, note: str = "") -> Dispatch:
        from zhengtong.exchange.services import sending

        dispatch = sending.send_document(
            actor=_clerk(document.unit), document=document, main_units=[self.unit(n) for n in main],
            copy_units=[self.unit(n) for n in copy], copies=copies, category=category, note=note,
            contact=f"{_clerk(document.unit).name} {document.unit.departments.first().phone}", at=at)
        self.dispatches.append(dispatch)
        return dispatch

    # --- receiving ----------------------------------------------------------------------------

    def delivery(self, dispatch: Dispatch, unit_name: str) -> Delivery:
        return Delivery.objects.get(dispatch=dispatch, unit=self.unit(unit_name))

    def receive(self, dispatch: Dispatch, unit_name: str, *steps: tuple) -> None:
        """Act on one delivery in order: ("open", at), ("check", at), ("print", at), ("sign", at),
        ("return", at, reason), ("declassified", at)."""
        from zhengtong.exchange.services import receiving

        delivery = self.delivery(dispatch, unit_name)
        clerk = _clerk(delivery.unit)
        for step in steps:
            action, at = step[0], step[1]
            if action == "open":
                receiving.open_delivery(actor=clerk, delivery=delivery, at=at)
            elif action == "check":
                receiving.check_delivery(actor=clerk, delivery=delivery, at=at)
            elif action == "sign":
                receiving.sign_for(actor=clerk, delivery=delivery, at=at)
            elif action == "return":
                receiving.return_delivery(actor=clerk, delivery=delivery, reason=step[2], at=at)
            elif action in ("print", "declassified"):
                _print(clerk, delivery, at, declassified=action == "declassified")
            delivery.refresh_from_db()


def _print(clerk: User, delivery: Delivery, at: datetime.datetime, *, declassified: bool = False) -> None:
    """A controlled print (or 脱密下载) at ``at``: printing takes its time as the services do."""
    from zhengtong.exchange.services import printing

    function = printing.declassified_copy if declassified else printing.print_copy
    if "at" in inspect.signature(function).parameters:
        function(actor=clerk, delivery=delivery, at=at)
        return
    record, _pdf = function(actor=clerk, delivery=delivery)
    # the print service stamps the present moment; the demo dates the print where its story puts it
    type(record).objects.filter(pk=record.pk).update(printed_at=at)
    Delivery.objects.filter(pk=delivery.pk, received_at__gt=at).update(received_at=at)


STEP_SERVICES = {
    "section_review": ("review", "同意，请办公室核稿。"),
    "office_check": ("review", "文字已核，格式规范。"),
    "leader_review": ("review", "同意，呈主要领导签发。"),
    "sign_off": ("sign_off", "同意印发。"),
    "recheck": ("review", "已复核。"),
    "numbering": ("take_number", None),
    "compose": ("compose", None),
    "seal": ("confirm_seal", "已用印。"),
}


def _run_to_distribution(document: Document) -> None:
    """Take an outgoing document through its process, each step by the first of its candidates, until it
    is sealed (the 盖章 step with the unit's seal and the demo PIN)."""
    from zhengtong.documents.services import processing
    from zhengtong.seals.demo import DEMO_PIN, seal_for
    from zhengtong.workflow.models import WorkItem

    for _round in range(30):
        document.refresh_from_db()
        if document.status in (Document.Status.SEALED, Document.Status.DISTRIBUTED):
            return
        item = next((item for item in WorkItem.objects.filter(status=WorkItem.Status.OPEN)
                     .select_related("instance").order_by("pk")
                     if item.instance.subject_id == str(document.pk)), None)
        if item is None or item.step not in STEP_SERVICES:
            raise RuntimeError(f"demo: {document.title} stopped at {item.step if item else 'no step'}")
        actor = item.candidates.order_by("pk").first()
        name, opinion = STEP_SERVICES[item.step]
        kwargs = {"opinion": opinion} if opinion is not None else {}
        if item.step == "seal":
            kwargs.update(seal=seal_for(document.unit), pin=DEMO_PIN)
        item.instance.refresh_from_db()
        getattr(processing, name)(actor=actor, document=document, work_item=item, revision=item.instance.revision,
                                  **kwargs)
    raise RuntimeError(f"demo: {document.title} did not reach the seal")


TOWNS = ["鹤山区沙河街道办事处", "鹤山区东城街道办事处", "鹤山区西城街道办事处", "鹤山区南湖街道办事处",
         "鹤山区桃源镇人民政府", "鹤山区青山镇人民政府", "鹤山区白石镇人民政府", "鹤山区柳溪镇人民政府"]
BUREAUS = ["鹤山区农业农村局", "鹤山区发展和改革局", "鹤山区教育局", "鹤山区自然资源局", "鹤山区住房和城乡建设局",
           "鹤山区商务局", "鹤山区卫生健康局", "鹤山区应急管理局", "鹤山区统计局", "鹤山区医疗保障局"]


def load_demo(*, result, stdout) -> None:
    """Dispatches between the demo units with receipts in every state, on the last working days."""
    from zhengtong.exchange.services import windows

    started = time.monotonic()
    with transaction.atomic():
        demo = _Exchange()
        d1, d2, d3 = demo.days[0], demo.days[1], demo.days[2]
        agriculture = demo.unit(demo_data.DEMO_UNIT)

        # 1. 区农业农村局's sealed 通知 to the towns and streets (copy to 区财政局), three working days ago
        insurance = (Document.objects.filter(unit=agriculture, direction=Document.Direction.OUTGOING)
                     .exclude(sealed_pdf="").exclude(sealed_pdf__isnull=True)
                     .filter(title="关于做好2026年度政策性农业保险工作的通知").first()
                     or Document.objects.filter(unit=agriculture).exclude(sealed_pdf="")
                     .exclude(sealed_pdf__isnull=True).order_by("pk").first())
        sent = demo.send(insurance, main=TOWNS, copy=["鹤山区财政局"], at=_at(d3, 9, 20),
                         note="请各镇（街道）于本周内组织辖区参保农户完成投保信息核对。")
        demo.receive(sent, TOWNS[0], ("open", _at(d3, 10, 3)), ("check", _at(d3, 10, 5)),
                     ("print", _at(d3, 10, 6)), ("print", _at(d3, 10, 7)), ("sign", _at(d3, 10, 9)))
        demo.receive(sent, TOWNS[1], ("open", _at(d3, 10, 18)), ("check", _at(d3, 10, 19)), ("print", _at(d3, 10, 20)),
                     ("sign", _at(d3, 10, 24)))
        demo.receive(sent, TOWNS[2], ("open", _at(d3, 16, 4)), ("sign", _at(d3, 16, 12)))
        demo.receive(sent, TOWNS[3], ("open", _at(d3, 10, 11)),
                     ("return", _at(d3, 10, 14), "我街道无农业保险业务，请核实主送单位后重新发送。"))
        demo.receive(sent, TOWNS[4], ("open", _at(d3, 16, 45)))  # opened late, still pending: overdue
        demo.receive(sent, TOWNS[5], ("open", _at(d2, 10, 2)), ("check", _at(d2, 10, 3)), ("declassified", _at(d2, 10, 4)),
                     ("sign", _at(d2, 10, 6)))  # a working day late
        demo.receive(sent, "鹤山区财政局", ("open", _at(d3, 16, 20)), ("sign", _at(d3, 16, 22)))
        # TOWNS[6] and TOWNS[7] never open it: overdue

        # 2. 区财政局's budget 通知 to the bureaus, two working days ago, after the 15:00 cutoff
        budget = demo.send(demo.document_of("finance"), main=BUREAUS, at=_at(d2, 15, 40), copies=3,
                           note="请各单位指定预算编制联络员，并于12月1日前报区财政局预算科。")
        for index, name in enumerate(BUREAUS[1:6]):
            demo.receive(budget, name, ("open", _at(d1, 10, 5 + index)), ("check", _at(d1, 10, 6 + index)),
                         ("print", _at(d1, 10, 8 + index)),
                         ("sign", _at(d1, 10, 12 + index)))
        demo.receive(budget, demo_data.DEMO_UNIT, ("open", _at(d1, 10, 21)), ("check", _at(d1, 10, 23)),
                     ("print", _at(d1, 10, 25)))  # checked and printed, not yet signed for

        # 3. 区教育局's letter to 区农业农村局, yesterday, signed for inside the afternoon window
        letter = demo.send(demo.document_of("education"), main=[demo_data.DEMO_UNIT], at=_at(d1, 11, 30),
                           copies=1)
        demo.receive(letter, demo_data.DEMO_UNIT, ("open", _at(d1, 16, 3)), ("sign", _at(d1, 16, 8)))

        # 4. 区委办's 通知 to the bureaus, yesterday: 区农业农村局 has not opened it yet
        party = demo.send(demo.document_of("party"), main=BUREAUS, at=_at(d1, 9, 45))
        for name in BUREAUS[2:8]:
            demo.receive(party, name, ("open", _at(d1, 10, 15)), ("sign", _at(d1, 10, 20)))

        # 5. 区应急管理局's urgent-in-spirit 通知类 (notice: to be opened within 10 minutes), 40 minutes ago
        notice_at = demo.now - datetime.timedelta(minutes=40)
        cold = demo.send(demo.document_of("emergency"), main=TOWNS + BUREAUS[:5], at=notice_at,
                         category=Dispatch.Category.NOTICE, copies=1)
        for index, name in enumerate(TOWNS[:5]):
            demo.receive(cold, name, ("open", notice_at + datetime.timedelta(minutes=3 + index)))
        # 区农业农村局 and the rest have not opened it: overdue notices, alerted and texted by the escalation

        from zhengtong.exchange.services import receiving

        receiving.escalate_unopened_notices(now=demo.now)
        closed = 0
        if hasattr(windows, "close_window"):
            for day in (d3, d2, d1):
                for slot in workdays.windows_on(day):
                    windows.close_window(slot_end=slot.ends_at)
                    closed += 1
        deliveries = Delivery.objects.filter(dispatch__in=demo.dispatches)
    stdout(_("Document exchange: %(dispatches)d dispatches, %(deliveries)d deliveries (%(signed)d signed for, "
             "%(pending)d awaiting receipt, %(returned)d returned), %(windows)d receiving windows closed "
             "(%(seconds).0f s)")
           % {"dispatches": len(demo.dispatches), "deliveries": deliveries.count(),
              "signed": deliveries.filter(status=Delivery.Status.SIGNED).count(),
              "pending": deliveries.filter(status=Delivery.Status.PENDING).count(),
              "returned": deliveries.filter(status=Delivery.Status.RETURNED).count(), "windows": closed,
              "seconds": time.monotonic() - started})


def register() -> None:
    """Called from ``setup_core.ready()``: the demo exchange loads after the seals (order 80)."""
    from zhengtong.demo.registry import register_demo_loader

    register_demo_loader("exchange", load_demo, order=85)
