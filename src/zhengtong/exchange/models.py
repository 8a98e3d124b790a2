"""Inter-unit electronic document exchange (电子公文交换).

Seed 001 第二十七条–第三十八条, seed 000 (二) 公文通知接收, seed 002 第八条, seed 004 要求 2.
A ``Dispatch`` is one sending of a sealed document; it has one ``Delivery`` per receiving unit,
which carries the whole receipt history (opened, checked, signed for, printed, returned).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengtong.directory.models import Unit, UnitCategory


def new_token() -> str:
    return secrets.token_urlsafe(18)


class ExchangeSettings(models.Model):
    """Platform-wide exchange rules, edited by the platform operator (one row)."""

    allow_urgent = models.BooleanField(
        _("urgent documents may be exchanged"), default=True,
        help_text=_("Seed 001 第四条 keeps 急件 and 特急件 out of the exchange; seed 004 urges them by SMS."))
    sms_for_urgent = models.BooleanField(_("urge urgent documents by SMS"), default=True)
    notice_alert_minutes = models.PositiveIntegerField(_("alert the clerks about an unopened notice after (minutes)"),
                                                       default=5)
    notice_sms_minutes = models.PositiveIntegerField(_("send an SMS about an unopened notice after (minutes)"),
                                                     default=8)
    notice_overdue_minutes = models.PositiveIntegerField(_("a notice is overdue when unopened after (minutes)"),
                                                         default=10)
    default_copies = models.PositiveIntegerField(_("default number of copies a recipient may print"), default=2)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))

    class Meta:
        verbose_name = _("exchange settings")
        verbose_name_plural = _("exchange settings")

    def __str__(self) -> str:
        return str(_("exchange settings"))

    @classmethod
    def load(cls) -> ExchangeSettings:
        return cls.objects.get_or_create(pk=1)[0]


class RecipientGroup(models.Model):
    """A saved group of receiving units (e.g. “全部乡镇街道”): a unit's own or, without owner, the platform's."""

    owner_unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="recipient_groups", verbose_name=_("owned by"))
    name = models.CharField(_("name"), max_length=60)
    units = models.ManyToManyField(Unit, related_name="+", blank=True, verbose_name=_("units"))
    categories = models.ManyToManyField(UnitCategory, related_name="+", blank=True,
                                        verbose_name=_("all units of these categories"))
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("recipient group")
        verbose_name_plural = _("recipient groups")
        ordering = ["sort_order", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Dispatch(models.Model):
    """One sending of a sealed document to other units (电子公文发送, 第二十九条–第三十二条)."""

    class Category(models.TextChoices):
        DOCUMENT = "document", _("Document (公文类)")
        NOTICE = "notice", _("Notice (通知类)")  # seed 002 第八条: opened within 10 minutes

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    sender_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dispatches",
                                    verbose_name=_("sending unit"))
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="dispatches",
                                 verbose_name=_("document"))
    category = models.CharField(_("category"), max_length=10, choices=Category, default=Category.DOCUMENT)
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    urgency = models.CharField(_("urgency"), max_length=12, blank=True)
    # The sealed PDF as sent: an immutable copy; receivers never see later changes.
    pdf = models.FileField(_("sealed PDF"), upload_to="exchange/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.TextField(_("note to the recipients"), blank=True)
    contact = models.CharField(_("contact person and phone"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("sent by"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    exchange_day = models.DateField(_("exchange day"), help_text=_("Sent after 15:00: the next working day"))
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("exchange dispatch")
        verbose_name_plural = _("exchange dispatches")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["sender_unit", "-sent_at"], name="exchange_dispatch_sender")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_notice(self) -> bool:
        return self.category == self.Category.NOTICE


class DispatchAttachment(models.Model):
    """An attachment sent with a dispatch (an immutable copy of the document's attachment)."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="attachments",
                                 verbose_name=_("dispatch"))
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to="exchange/%Y/%m/")
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("dispatch attachment")
        verbose_name_plural = _("dispatch attachments")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """A dispatch as one receiving unit sees it, with its receipt record (回执)."""

    class Role(models.TextChoices):
        MAIN = "main", _("Main recipient (主送)")
        COPY = "copy", _("Copy recipient (抄送)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting receipt")  # 待收: delivered, opened or checked, not yet signed for
        SIGNED = "signed", _("Signed for")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="deliveries",
                                 verbose_name=_("dispatch"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="deliveries",
                             verbose_name=_("receiving unit"))
    role = models.CharField(_("as"), max_length=5, choices=Role, default=Role.MAIN)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    copies_allowed = models.PositiveIntegerField(_("copies allowed"), default=1)
    copies_printed = models.PositiveIntegerField(_("copies printed"), default=0)
    delivered_at = models.DateTimeField(_("delivered at"), default=timezone.now)
    # When it must be received: notices 10 minutes after delivery (seed 002 第八条); documents by the
    # end of the exchange day's last receiving window (seed 000, seed 001 第三十三条).
    due_at = models.DateTimeField(_("to be received by"))
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("opened by"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("checked by"))
    # 接收时间 (第三十七条): the first print, 脱密下载 or read through the API.
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("signed for by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("returned by"))
    return_reason = models.TextField(_("reason for returning"), blank=True)
    incoming_document = models.ForeignKey("documents.Document", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("registered as"))
    alerted_at = models.DateTimeField(_("clerks alerted at"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("SMS sent at"), null=True, blank=True)
    urge_count = models.PositiveIntegerField(_("times urged"), default=0)
    last_urged_at = models.DateTimeField(_("last urged at"), null=True, blank=True)
    moved_from = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("moved from (merged unit)"))

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-delivered_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["dispatch", "unit"], name="exchange_delivery_once")]
        indexes = [
            models.Index(fields=["unit", "status", "-delivered_at"], name="exchange_inbox"),
            models.Index(fields=["unit", "-delivered_at"], name="exchange_unit_ledger"),
            models.Index(fields=["status", "due_at"], name="exchange_due"),
        ]

    def __str__(self) -> str:
        return f"{self.dispatch} → {self.unit}"

    @property
    def copies_left(self) -> int:
        return max(0, self.copies_allowed - self.copies_printed)


class PrintRecord(models.Model):
    """One controlled print (打印) or 脱密下载 of a delivery (第三十四条–第三十七条); each paper copy has a QR token."""

    class Kind(models.TextChoices):
        PRINT = "print", _("Print")
        DECLASSIFIED = "declassified", _("Download without seal (脱密下载)")

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="prints",
                                 verbose_name=_("delivery"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.PRINT)
    copy_number = models.PositiveIntegerField(_("copy number"), null=True, blank=True)
    copies_total = models.PositiveIntegerField(_("copies allowed at the time"), null=True, blank=True)
    token = models.CharField(_("verification token"), max_length=40, unique=True, default=new_token)
    printed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("printed by"))
    printed_at = models.DateTimeField(_("printed at"), default=timezone.now)
    sha256 = models.CharField(_("SHA-256 of the marked copy"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("print record")
        verbose_name_plural = _("print records")
        ordering = ["delivery", "printed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["delivery", "copy_number"], name="exchange_copy_once")]

    def __str__(self) -> str:
        return f"{self.delivery} #{self.copy_number or '-'}"


class CopyRequest(models.Model):
    """A receiving unit asks the sender for more copies or a resend (第三十八条)."""

    class Kind(models.TextChoices):
        MORE_COPIES = "more", _("More copies")
        RESEND = "resend", _("Resend")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="copy_requests",
                                 verbose_name=_("delivery"))
    kind = models.CharField(_("request"), max_length=6, choices=Kind, default=Kind.MORE_COPIES)
    copies = models.PositiveIntegerField(_("copies asked for"), default=1)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("copy request")
        verbose_name_plural = _("copy requests")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery} · {self.get_kind_display()}"


class WindowAttendance(models.Model):
    """Whether a unit received in one receiving window (seed 000: 10:00–10:30 and 16:00–16:30)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="window_attendances",
                             verbose_name=_("unit"))
    day = models.DateField(_("day"))
    starts_at = models.DateTimeField(_("window starts"))
    ends_at = models.DateTimeField(_("window ends"))
    attended_at = models.DateTimeField(_("first receiving in the window"), null=True, blank=True)
    attended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("received by"))
    pending_count = models.PositiveIntegerField(_("items waiting when the window ended"), default=0)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("receiving window record")
        verbose_name_plural = _("receiving window records")
        ordering = ["-starts_at", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "starts_at"], name="exchange_window_once")]
        indexes = [models.Index(fields=["day", "attended_at"], name="exchange_window_day")]

    def __str__(self) -> str:
        return f"{self.unit} {self.starts_at:%Y-%m-%d %H:%M}"
