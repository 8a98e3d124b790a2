"""Review before publication (上网审核): the steps of a review chain, opinions, notices, forbidden words.

A review chain is a Wagtail ``Workflow``; its steps are the task types below, whose approvers come
from the directory (roles in units and departments), not from Wagtail groups. The rules that
decide who approves live in ``selectors``; recording a decision lives in ``services``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

from zhengtong.directory import roles


class RejectionForm(forms.Form):
    """A rejection always carries its reason back to the submitter (退回须说明理由)."""

    comment = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea({"rows": 3}),
                              max_length=1000)


class OpinionForm(forms.Form):
    comment = forms.CharField(label=_("Opinion"), required=False, widget=forms.Textarea({"rows": 3}),
                              max_length=1000)


class DirectoryApprovalTask(Task):
    """A step whose approvers are people of the directory; Wagtail groups play no part.

    Subclasses say who the approvers are (``selectors.approvers_for``). Everyone else is refused,
    superusers included: a signature on the 审核签 must be the step's own (seed 000 (一)2(3)).
    """

    step_label = models.CharField(_("step on the sign-off form"), max_length=30, blank=True,
                                  help_text=_("Short name printed on the 审核签, e.g. 法制室."))

    admin_form_fields = [*Task.admin_form_fields, "step_label"]

    class Meta:
        abstract = True

    def approvers(self, page):
        from zhengtong.webreview import selectors

        return selectors.approvers_for(self, page)

    def is_approver(self, page, user) -> bool:
        from zhengtong.webreview import selectors

        return selectors.is_approver(self, page, user)

    def user_can_access_editor(self, obj, user):
        return self.is_approver(obj, user)

    def locked_for_user(self, obj, user):
        # While a step is under way only its approvers may touch the page (as Wagtail's group task).
        return not self.is_approver(obj, user)

    def user_can_lock(self, obj, user):
        return self.is_approver(obj, user)

    def get_actions(self, obj, user):
        if self.is_approver(obj, user):
            return [
                ("reject", _("Return with reason"), True),
                ("approve", _("Approve"), False),
                ("approve", _("Approve with opinion"), True),
            ]
        return []

    def get_form_for_action(self, action):
        return RejectionForm if action == "reject" else OpinionForm

    def on_action(self, task_state, user, action_name, **kwargs):
        from django.core.exceptions import PermissionDenied, ValidationError

        from zhengtong.webreview import services

        try:
            services.decide(actor=user, task_state=task_state, decision=action_name,
                            opinion=kwargs.get("comment", ""))
        except ValidationError as error:  # a stale or incomplete decision: refuse it, as Wagtail does
            raise PermissionDenied(" ".join(error.messages)) from error

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from zhengtong.webreview import selectors

        return selectors.task_states_for_approver(self, user)

    def signature_label(self) -> str:
        return self.step_label or self.name


class UnitLeaderApprovalTask(DirectoryApprovalTask):
    """单位领导审核: a leader of the unit responsible for the page (seed 000 (一)2(1), seed 003 主管主任)."""

    include_deputies = models.BooleanField(_("deputy leaders may approve"), default=True)

    admin_form_fields = [*DirectoryApprovalTask.admin_form_fields, "include_deputies"]

    class Meta:
        verbose_name = _("Unit leader approval")
        verbose_name_plural = _("Unit leader approvals")

    @classmethod
    def get_description(cls):
        return _("A leader of the unit responsible for the column approves (单位领导审核).")

    def role_codes(self) -> list[str]:
        codes = [roles.PRINCIPAL_LEADER]
        if self.include_deputies:
            codes.append(roles.DEPUTY_LEADER)
        return codes


class SectionChiefApprovalTask(DirectoryApprovalTask):
    """科长审核 (seed 003 第十四条): the section chief of the responsible department, else of the unit."""

    class Meta:
        verbose_name = _("Section chief approval")
        verbose_name_plural = _("Section chief approvals")

    @classmethod
    def get_description(cls):
        return _("The chief of the section responsible for the column approves (科长审核).")


class ReviewerApprovalTask(DirectoryApprovalTask):
    """A reviewing office's step: 法制室、保密局、网维办、宣传部、政府办领导 (seed 000 (一)2(3))."""

    reviewer_unit = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("reviewing unit"))
    reviewer_department = models.ForeignKey("directory.Department", on_delete=models.SET_NULL, null=True,
                                            blank=True, related_name="+",
                                            verbose_name=_("reviewing department"),
                                            help_text=_("Leave empty to admit the whole unit."))
    role_code = models.CharField(_("role of the reviewers"), max_length=40, default=roles.CONTENT_REVIEWER,
                                 help_text=_("Role code, e.g. content_reviewer or principal_leader."))

    admin_form_fields = [*DirectoryApprovalTask.admin_form_fields, "reviewer_unit", "reviewer_department",
                         "role_code"]

    class Meta:
        verbose_name = _("Reviewing office approval")
        verbose_name_plural = _("Reviewing office approvals")

    @classmethod
    def get_description(cls):
        return _("People holding a role in a reviewing unit or department approve (法制室、保密局、网维办、宣传部).")


class ReviewOpinion(models.Model):
    """One signature on the 审核签: who decided a step, in which unit, how, with what opinion, when."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Returned")

    task_state = models.OneToOneField(TaskState, on_delete=models.CASCADE, related_name="review_opinion",
                                      verbose_name=_("task state"))
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="review_opinions",
                             verbose_name=_("page"))
    step = models.CharField(_("step"), max_length=255)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("reviewer"))
    person_name = models.CharField(_("reviewer's name"), max_length=40)
    unit = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, null=True, related_name="+",
                             verbose_name=_("unit"))
    unit_name = models.CharField(_("unit name"), max_length=100, blank=True)
    department_name = models.CharField(_("department"), max_length=60, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision)
    opinion = models.TextField(_("opinion"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = _("review opinion")
        verbose_name_plural = _("review opinions")

    def __str__(self) -> str:
        return f"{self.step} {self.person_name} {self.get_decision_display()}"


class ReviewNotice(models.Model):
    """A notice that a step waits for a reviewer (待审提醒); later channels (e-mail, SMS) read these."""

    task_state = models.ForeignKey(TaskState, on_delete=models.CASCADE, related_name="review_notices",
                                   verbose_name=_("task state"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("recipient"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["task_state", "recipient"], name="webreview_notice_once")]
        verbose_name = _("review notice")
        verbose_name_plural = _("review notices")

    def __str__(self) -> str:
        return f"{self.task_state_id} → {self.recipient_id}"


class ForbiddenWord(models.Model):
    """A word that may not appear on the website (seed 003 第十九条); the operator keeps the list."""

    class Category(models.TextChoices):
        CONSTITUTION = "constitution", _("Against the basic principles of the Constitution")  # 1
        SECURITY = "security", _("Endangering national security or leaking state secrets")  # 2
        HONOUR = "honour", _("Harming national honour and interests")  # 3
        ETHNIC = "ethnic", _("Inciting ethnic hatred or discrimination")  # 4
        RELIGION = "religion", _("Undermining religious policy, cults or superstition")  # 5
        RUMOUR = "rumour", _("Spreading rumours or disturbing social order")  # 6
        OBSCENE = "obscene", _("Obscenity, pornography, gambling, violence or terror")  # 7
        INSULT = "insult", _("Insulting or slandering others")  # 8
        OTHER = "other", _("Other content prohibited by law")  # 9

    word = models.CharField(_("word"), max_length=50, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category, default=Category.OTHER)
    is_active = models.BooleanField(_("in use"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["category", "word"]
        verbose_name = _("forbidden word")
        verbose_name_plural = _("forbidden words")

    def __str__(self) -> str:
        return self.word
