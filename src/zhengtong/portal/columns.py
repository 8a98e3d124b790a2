"""Column keys (栏目) of the district website (seed 000 (一)1) and of the office website (seed 003 第九条).

Other apps (webreview, quotas) refer to columns by these keys, never by page titles.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ColumnKey(models.TextChoices):
    # 新闻类栏目 (seed 000)
    NEWS = "news", _("News bulletin")  # 新闻快报
    GENERAL = "general", _("General information")  # 综合信息
    # 专题类栏目
    TOPICS = "topics", _("Topics")  # 专题 (group)
    INVESTMENT = "investment", _("Investment promotion")  # 招商引资
    CULTURE_TOURISM = "culture_tourism", _("Culture and tourism")  # 文化旅游
    SPECIAL = "special", _("Special columns")  # 专题专栏
    INDUSTRY = "industry", _("Industry")  # 工业
    AGRICULTURE = "agriculture", _("Agriculture")  # 农业
    URBAN_RURAL = "urban_rural", _("Urban-rural integration")  # 城乡一体化
    FINANCE_TAX = "finance_tax", _("Finance and taxation")  # 财税
    # 部门类栏目
    DEPARTMENTS = "departments", _("Departments")  # 部门 (group)
    DEPT = "dept", _("Department section")  # one unit's section
    DEPT_NEWS = "dept_news", _("Work news")  # 部门工作动态
    DEPT_WORK = "dept_work", _("Work overview")  # 工作简介
    DEPT_PROFILE = "dept_profile", _("Department profile")  # 部门简介
    # 互动类栏目
    INTERACTION = "interaction", _("Interaction")  # 互动 (group)
    MESSAGES = "messages", _("Citizens' messages")  # 市民留言
    MAYOR_MAILBOX = "mayor_mailbox", _("District mayor's mailbox")  # 区长信箱
    SURVEY = "survey", _("Online surveys and appraisals")  # 网上调查评议
    THEORY = "theory", _("Theoretical discussion")  # 理论研讨
    DISCLOSURE = "disclosure", _("Government information disclosure")  # 政务公开
    # The office website (seed 003 第九条): eight columns
    OFFICE_DISCLOSURE = "office_disclosure", _("Office: government affairs disclosure")  # 政务公开
    OFFICE_TOPICS = "office_topics", _("Office: government affairs topics")  # 政务专题
    OFFICE_POLICY = "office_policy", _("Office: policy documents")  # 政策文件
    OFFICE_BUILDING = "office_building", _("Office: office building")  # 办公室建设
    OFFICE_PROGRESS = "office_progress", _("Office: work progress")  # 工作进展
    OFFICE_GUIDE = "office_guide", _("Office: business guide")  # 业务指南
    OFFICE_HOT = "office_hot", _("Office: hot topics")  # 热点专题
    OFFICE_EXCHANGE = "office_exchange", _("Office: online exchange")  # 在线交流


#: Columns that only group other columns; articles go into their children.
GROUP_KEYS = frozenset({ColumnKey.TOPICS, ColumnKey.DEPARTMENTS, ColumnKey.INTERACTION, ColumnKey.DEPT})

#: Columns inside a unit's 部门 section: the responsible unit is the section's unit.
DEPT_KEYS = frozenset({ColumnKey.DEPT, ColumnKey.DEPT_NEWS, ColumnKey.DEPT_WORK, ColumnKey.DEPT_PROFILE})
