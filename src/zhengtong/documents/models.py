"""Official documents (公文) under the 党政机关公文处理工作条例 (2012).

A :class:`Document` carries the 18 elements of 第九条; its body lives in :class:`DocumentVersion`
rows (痕迹保留). Numbers (发文字号) come from a :class:`NumberRegister` as :class:`IssuedNumber`
rows that are never reused; red headers (发文机关标志) from :class:`RedHeaderTemplate`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtong.directory.models import Department, Unit

FILE_SIZE_LIMIT = 50 * 1024 * 1024  # 50 MB per attachment


class Kind(models.TextChoices):
    """The 15 kinds of 公文 (条例 第八条)."""

    RESOLUTION = "resolution", _("Resolution (决议)")
    DECISION = "decision", _("Decision (决定)")
    ORDER = "order", _("Order (命令（令）)")
    COMMUNIQUE = "communique", _("Communiqué (公报)")
    ANNOUNCEMENT = "announcement", _("Announcement (公告)")
    NOTICE_PUBLIC = "notice_public", _("Public notice (通告)")
    OPINION = "opinion", _("Opinion (意见)")
    NOTICE = "notice", _("Notice (通知)")
    BULLETIN = "bulletin", _("Bulletin (通报)")
    REPORT = "report", _("Report (报告)")
    REQUEST = "request", _("Request for instructions (请示)")
    REPLY = "reply", _("Reply (批复)")
    MOTION = "motion", _("Motion (议案)")
    LETTER = "letter", _("Letter (函)")
    MINUTES = "minutes", _("Minutes (纪要)")


class FlowDirection(models.TextChoices):
    """行文方向: upward 上行文, parallel 平行文, downward 下行文."""

    UPWARD = "upward", _("Upward (上行文)")
    PARALLEL = "parallel", _("Parallel (平行文)")
    DOWNWARD = "downward", _("Downward (下行文)")


# 条例 第十五条: 请示 and 报告 go up; 函 goes between units that are not subordinate; the rest mostly down.
DEFAULT_FLOW_DIRECTION = {
    Kind.REQUEST: FlowDirection.UPWARD,
    Kind.REPORT: FlowDirection.UPWARD,
    Kind.MOTION: FlowDirection.UPWARD,
    Kind.LETTER: FlowDirection.PARALLEL,
    Kind.MINUTES: FlowDirection.PARALLEL,
}


def default_flow_direction(kind: str) -> str:
    """The usual 行文方向 of a kind: 请示、报告、议案 upward, 函、纪要 parallel, the rest downward."""
    return DEFAULT_FLOW_DIRECTION.get(kind, FlowDirection.DOWNWARD)


class Classification(models.TextChoices):
    """密级: the platform carries only 非密 and 内部 (seed 000; seed 001 第四条; seed 002 第十二条)."""

    NONE = "none", _("Unclassified (非密)")
    INTERNAL = "internal", _("Internal (内部)")


class Urgency(models.TextChoices):
    """紧急程度 (条例 第九条(三)): 特急 or 加急."""

    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent (加急)")
    VERY_URGENT = "very_urgent", _("Very urgent (特急)")


class RedHeaderTemplate(models.Model):
    """A red-header template (红头模板) for the 发文机关标志: authority names stacked, then 文件."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="red_header_templates",
                             verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)
    lines = models.JSONField(_("authority names"), default=list, blank=True,
                             help_text=_("One authority per line; joint documents stack several"))
    suffix = models.CharField(_("suffix"), max_length=20, default="文件", blank=True)
    color = models.CharField(_("colour"), max_length=7, default="#E60012")
    is_default = models.BooleanField(_("default"), default=False)
    kinds = models.JSONField(_("kinds"), default=list, blank=True, help_text=_("Empty means any kind"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["unit", "-is_default", "name"]
        verbose_name = _("red-header template")
        verbose_name_plural = _("red-header templates")

    def __str__(self) -> str:
        return self.name


class NumberRegister(models.Model):
    """A register of document numbers (文号登记簿), e.g. 局发文 with prefix 鹤农发."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="number_registers",
                             verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix (机关代字)"), max_length=30)
    kinds = models.JSONField(_("kinds"), default=list, blank=True, help_text=_("Empty means any kind"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "prefix"], name="documents_register_unique_prefix"),
        ]
        verbose_name = _("number register")
        verbose_name_plural = _("number registers")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class IssuedNumber(models.Model):
    """A number taken from a register (发文字号), e.g. 鹤农发〔2026〕12号; voided numbers are never reused."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        VOIDED = "voided", _("Voided")

    register = models.ForeignKey(NumberRegister, on_delete=models.PROTECT, related_name="issued",
                                 verbose_name=_("register"))
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence"))
    text = models.CharField(_("number"), max_length=60)
    document = models.ForeignKey("Document", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="issued_numbers", verbose_name=_("document"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("taken by"))
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ISSUED)
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("voided by"))
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        ordering = ["register", "-year", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["register", "year", "seq"], name="documents_issued_unique_seq"),
        ]
        verbose_name = _("issued number")
        verbose_name_plural = _("issued numbers")

    def __str__(self) -> str:
        return self.text


class Document(models.Model):
    """An official document (公文), outgoing (发文) or incoming (收文), with the 18 elements of 第九条."""

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("Outgoing (发文)")
        INCOMING = "incoming", _("Incoming (收文)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        SIGNED_OFF = "signed_off", _("Signed off")
        NUMBERED = "numbered", _("Numbered")
        COMPOSED = "composed", _("Composed")
        SEALED = "sealed", _("Sealed")
        DISTRIBUTED = "distributed", _("Distributed")
        ARCHIVED = "archived", _("Archived")
        CANCELLED = "cancelled", _("Cancelled")
        REGISTERED = "registered", _("Registered")
        IN_HANDLING = "in_handling", _("In handling")
        FINISHED = "finished", _("Finished")

    Kind = Kind
    FlowDirection = FlowDirection
    Classification = Classification
    Urgency = Urgency

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="documents", verbose_name=_("unit"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction, default=Direction.OUTGOING)
    kind = models.CharField(pgettext_lazy("document", "kind"), max_length=20, choices=Kind, default=Kind.NOTICE)
    flow_direction = models.CharField(_("flow direction"), max_length=10, choices=FlowDirection,
                                      default=FlowDirection.DOWNWARD)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)

    # The 18 elements (条例 第九条).
    copy_number = models.CharField(_("copy number (份号)"), max_length=20, blank=True)
    classification = models.CharField(_("classification (密级)"), max_length=10, choices=Classification,
                                      default=Classification.NONE)
    secrecy_period = models.CharField(_("secrecy period (保密期限)"), max_length=30, blank=True)
    urgency = models.CharField(_("urgency (紧急程度)"), max_length=12, choices=Urgency, default=Urgency.NORMAL)
    red_header = models.ForeignKey(RedHeaderTemplate, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="documents", verbose_name=_("red header (发文机关标志)"))
    number = models.CharField(_("document number (发文字号)"), max_length=60, blank=True, db_index=True)
    issued_number = models.ForeignKey(IssuedNumber, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("issued number"))
    signers = models.JSONField(_("signers (签发人)"), default=list, blank=True)
    title = models.CharField(_("title (标题)"), max_length=300)
    main_recipients = models.TextField(_("main recipients (主送机关)"), blank=True)
    current_version = models.ForeignKey("DocumentVersion", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name=_("current version"))
    attachment_note = models.JSONField(_("attachment note (附件说明)"), default=list, blank=True)
    signature = models.TextField(_("issuing authority (发文机关署名)"), blank=True)
    document_date = models.DateField(_("date (成文日期)"), null=True, blank=True)
    has_seal = models.BooleanField(_("seal (印章)"), default=True)
    notes = models.TextField(_("notes (附注)"), blank=True)
    cc = models.TextField(_("copies to (抄送机关)"), blank=True)
    printer = models.CharField(_("printed by (印发机关)"), max_length=100, blank=True)
    print_date = models.DateField(_("print date (印发日期)"), null=True, blank=True)

    # Drafting and processing.
    drafting_department = models.ForeignKey(Department, on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="drafted_documents",
                                            verbose_name=_("drafting department"))
    countersign_departments = models.JSONField(_("countersigning departments"), default=list, blank=True,
                                               help_text=_("Department ids, in order"))
    drafter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafted_documents",
                                verbose_name=_("drafter"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("signed off by"))
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    rendered_pdf = models.FileField(_("rendered PDF"), upload_to="documents/pdf/%Y/", null=True, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    # Where the seals go on the rendered PDF: [{"page", "x", "y", "size"}] in PDF points, one per
    # issuing authority in the order of the 署名 (lead unit first); see rendering.SealBox.
    seal_boxes = models.JSONField(_("seal positions"), default=list, blank=True)
    sealed_pdf = models.FileField(_("sealed PDF"), upload_to="documents/sealed/%Y/", null=True, blank=True)
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True)
    distributed_at = models.DateTimeField(_("distributed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    # Incoming (收文).
    incoming_year = models.PositiveSmallIntegerField(_("incoming year"), null=True, blank=True)
    incoming_seq = models.PositiveIntegerField(_("incoming number (收文编号)"), null=True, blank=True)
    source_unit_name = models.CharField(_("source unit (来文单位)"), max_length=200, blank=True)
    source_number = models.CharField(_("source number (来文字号)"), max_length=60, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    copies = models.PositiveIntegerField(_("copies (份数)"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("received by"))
    handling_deadline = models.DateField(_("handling deadline (办理时限)"), null=True, blank=True)
    lead_department = models.ForeignKey(Department, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="led_documents", verbose_name=_("lead department (承办科室)"))
    directive = models.TextField(_("directive (批示)"), blank=True)
    result = models.TextField(_("result (办理结果)"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "direction", "status"], name="documents_unit_dir_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "incoming_year", "incoming_seq"],
                                    name="documents_incoming_unique_seq"),
        ]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def is_upward(self) -> bool:
        return self.flow_direction == FlowDirection.UPWARD

    @property
    def body(self) -> list[dict]:
        """The body blocks of the current version (正文)."""
        return list(self.current_version.body) if self.current_version_id else []

    @property
    def incoming_number(self) -> str:
        """The 收文编号 as shown in the 收文登记簿, e.g. 2026-0012."""
        if self.incoming_year and self.incoming_seq:
            return f"{self.incoming_year}-{self.incoming_seq:04d}"
        return ""


class DocumentVersion(models.Model):
    """A saved version of a document's title and body (痕迹保留): who saved it, when, at which step."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name=_("document"))
    seq = models.PositiveIntegerField(_("version"))
    title = models.CharField(pgettext_lazy("document", "title"), max_length=300)
    body = models.JSONField(_("body"), default=list, blank=True,
                            help_text=_('Blocks {"level": 0-4, "text": "..."}'))
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("saved by"))
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)
    step_label = models.CharField(_("step"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["document", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["document", "seq"], name="documents_version_unique_seq"),
        ]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self) -> str:
        return f"{self.document_id} v{self.seq}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is the hash; the original name is kept in ``name``.
    return f"documents/attachments/{instance.document_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """A file attached to a document (附件), any type, up to 50 MB; the name is kept, sha256 recorded."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments",
                                 verbose_name=_("document"))
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["document", "sort_order", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class CoIssuer(models.Model):
    """A co-issuing unit of a joint document (联合发文单位)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SIGNED_OFF = "signed_off", _("Signed off")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="co_issuers",
                                 verbose_name=_("document"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="co_issued_documents",
                             verbose_name=_("unit"))
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PENDING)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("signed off by"))
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signer_name = models.CharField(_("signer"), max_length=50, blank=True)

    class Meta:
        ordering = ["document", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"], name="documents_coissuer_unique_unit"),
        ]
        verbose_name = _("co-issuing unit")
        verbose_name_plural = _("co-issuing units")

    def __str__(self) -> str:
        return str(self.unit)


class Distribution(models.Model):
    """A copy of a document distributed to a person (分发), read when they open it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="distributions",
                                 verbose_name=_("document"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="document_distributions", verbose_name=_("recipient"))
    department = models.ForeignKey(Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("department"))
    distributed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("distributed by"))
    distributed_at = models.DateTimeField(_("distributed at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["document", "distributed_at", "pk"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")

    def __str__(self) -> str:
        return f"{self.document_id} → {self.recipient_id}"


class Urge(models.Model):
    """A reminder to hurry a document along (催办)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="urges",
                                 verbose_name=_("document"))
    work_item_id = models.PositiveBigIntegerField(_("work item"), null=True, blank=True)
    urged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("urged by"))
    urged_at = models.DateTimeField(_("urged at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-urged_at", "-pk"]
        verbose_name = _("urge")
        verbose_name_plural = _("urges")

    def __str__(self) -> str:
        return f"{self.document_id} {self.urged_at:%Y-%m-%d}"
