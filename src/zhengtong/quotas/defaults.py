"""The default update quotas: seed 000 (一)3 (district website) and seed 003 第十六条 (office website).

Loaded by migration 0002; afterwards they are data the platform operator edits.
"""

from __future__ import annotations

# (name, column keys, scope, period, minimum, part, remind working days, notes)
DEFAULT_RULES = [
    ("新闻快报每月至少 1 篇", ["news"], "column_owners", "month", 1, "public", 3,
     "seed 000 (一)3：新闻快报栏目每月至少报送1篇"),
    ("综合信息每月至少 8 篇", ["general"], "column_owners", "month", 8, "public", 3,
     "seed 000 (一)3：综合信息栏目每月至少报送8篇"),
    ("招商引资每周至少 1 篇", ["investment"], "column_owners", "week", 1, "public", 2,
     "seed 000 (一)3：招商引资栏目每周至少报送1篇或更新1次"),
    ("文化旅游每周至少 1 篇", ["culture_tourism"], "column_owners", "week", 1, "public", 2,
     "seed 000 (一)3：文化旅游栏目每周至少报送1篇或更新1次"),
    ("专题专栏每周至少 1 篇", ["special", "industry", "agriculture", "urban_rural", "finance_tax"],
     "column_owners", "week", 1, "public", 2,
     "seed 000 (一)1、3：专题专栏每周至少报送1篇或更新1次；工业、农业、城乡一体化、财税分别由商务局、农业局、"
     "城乡一体化办公室和财政局负责维护"),
    ("部门工作动态每周至少 1 篇", ["dept_news"], "column_owners", "week", 1, "information", 2,
     "seed 000 (一)3：部门工作动态栏目每周至少报送1篇；seed 003 第二十二条：动态信息纳入信息考核"),
    ("工作简介每年至少更新 1 次", ["dept_work"], "column_owners", "year", 1, "public", 20,
     "seed 000 (一)3：工作简介栏目每年至少更新1次（按新发布的文章计）"),
    ("部门简介及时更新", ["dept_profile"], "column_owners", "in_time", 0, "public", 0,
     "seed 000 (一)3：部门简介栏目及时更新"),
    ("市民留言、区长信箱、网上调查评议及时办结", ["messages", "mayor_mailbox", "survey"], "column_owners",
     "in_time", 0, "public", 0, "seed 000 (一)3：市民留言、区长信箱、网上调查评议栏目及时办结"),
    ("理论研讨每年至少 5 篇", ["theory"], "column_owners", "year", 5, "public", 20,
     "seed 000 (一)3：理论研讨每年至少5篇"),
    ("办公室各科室每月至少 1 条动态信息", ["office_progress"], "each_department", "month", 1, "information", 3,
     "seed 003 第十六条：各科室向综合科报送动态信息，每月至少1条，由综合科上传网站（工作进展栏目）；"
     "第二十二条：纳入双百考核信息考核"),
]


def load_default_rules(QuotaRule) -> int:
    """Create the default rules that are missing (by name); return how many were created."""
    created = 0
    for order, (name, keys, scope, period, minimum, part, remind, notes) in enumerate(DEFAULT_RULES, start=1):
        _rule, new = QuotaRule.objects.get_or_create(name=name, defaults={
            "column_keys": keys, "scope": scope, "period": period, "minimum": minimum, "part": part,
            "weight": 10, "remind_days": remind, "notes": notes, "sort_order": order * 10, "active": True})
        created += new
    return created
