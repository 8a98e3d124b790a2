"""Audit actions of the process engine and the default processes it ships."""

from django.utils.translation import gettext_lazy as _

from zhengtong.audit.actions import register_action
from zhengtong.workflow import registry


def register_audit_actions() -> None:
    register_action("workflow.instance.start", _("Process started"))
    register_action("workflow.instance.cancel", _("Process cancelled"))
    register_action("workflow.instance.timer", _("Process timer fired"))
    register_action("workflow.item.complete", _("Process step completed"))
    register_action("workflow.item.send_back", _("Process step sent back"))
    register_action("workflow.item.withdraw", _("Process step withdrawn"))
    register_action("workflow.item.transfer", _("Process step transferred"))
    register_action("workflow.delegation.create", _("To-do items delegated"))
    register_action("workflow.delegation.revoke", _("Delegation revoked"))
    register_action("workflow.definition.upload", _("Process definition uploaded"))
    register_action("workflow.definition.restore_default", _("Shipped process restored"))
    register_default_processes()


def register_default_processes() -> None:
    # seed 004 (发文流程): 起草 → 审核 → 会签 → 核稿 → 签发 → 复核 → 编号 → 合成 → 盖章 → 分发 → 归档
    registry.register_default_process(
        "fawen", "发文", "fawen.bpmn",
        required_steps=("draft", "sign_off", "numbering", "compose"),
        initial_data={"countersign_departments": [], "co_units": []},
        starter_steps=("draft",),
        department_from={"section_review": "department"},
    )
    registry.register_default_process(
        "joint_sign", "联合发文会签", "joint_sign.bpmn",
        required_steps=("joint_check", "joint_sign_off"),
    )
    # 条例 第二十四条 (收文办理): 签收、登记、初审、承办、传阅、催办、答复
    registry.register_default_process(
        "shouwen", "收文", "shouwen.bpmn",
        required_steps=("register", "direct", "handle", "finish"),
        initial_data={"co_departments": [], "circulate_to": [], "lead_department": None, "deadline": None},
        starter_steps=("register",),
        department_from={"handle": "lead_department"},
        performer_of={"finish": "handle"},
        due_from={"handle": "deadline", "co_handle": "deadline", "finish": "deadline"},
    )
