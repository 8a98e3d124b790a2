"""The columns of the people sheet: one layout for the template, the import and the export."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    width: int
    help: Promise
    required: bool = False
    # The Chinese header comes first: sheets keep working whatever the catalogue says.
    aliases: tuple[str, ...] = ()

    def header(self) -> str:
        """The header cell in the active language; a required column is marked with *."""
        return f"{self.label}*" if self.required else str(self.label)


COLUMNS: tuple[Column, ...] = (
    Column("name", pgettext_lazy("people sheet column", "Name"), 12, required=True, aliases=("姓名",),
           help=pgettext_lazy("people sheet help", "Required. The person's name in Chinese characters. "
                              "Two people may share a name.")),
    Column("username", pgettext_lazy("people sheet column", "Username"), 16, aliases=("用户名", "账号", "登录名"),
           help=pgettext_lazy("people sheet help", "Optional. Left empty, it is the full pinyin of the name "
                              "(张三 → zhangsan); a clash gets 01, 02… Otherwise lower-case letters, "
                              "then letters or digits.")),
    Column("department", pgettext_lazy("people sheet column", "Department"), 20,
           aliases=("科室", "部门", "处室", "所在科室"),
           help=pgettext_lazy("people sheet help", "Optional. A department of the unit, by name or by its path "
                              "such as 办公室/综合组. Choose from the list.")),
    Column("title", pgettext_lazy("people sheet column", "Title"), 14, aliases=("职务", "职位"),
           help=pgettext_lazy("people sheet help", "Optional, e.g. 科员, 科长, 副局长.")),
    Column("mobile", pgettext_lazy("people sheet column", "Mobile number"), 15, aliases=("手机号码", "手机", "手机号"),
           help=pgettext_lazy("people sheet help", "Optional. 11 digits starting with 1; used for text "
                              "messages.")),
    Column("email", pgettext_lazy("people sheet column", "E-mail"), 22, aliases=("电子邮箱", "邮箱", "电子邮件"),
           help=pgettext_lazy("people sheet help", "Optional.")),
    Column("office_phone", pgettext_lazy("people sheet column", "Office phone"), 16, aliases=("办公电话", "电话", "座机"),
           help=pgettext_lazy("people sheet help", "Optional, e.g. 0750-1234567 or 0750-1234567转801.")),
    Column("sort_order", pgettext_lazy("people sheet column", "Sort order"), 10, aliases=("排列顺序", "排序", "顺序"),
           help=pgettext_lazy("people sheet help", "Optional whole number; smaller numbers are listed first. "
                              "Empty means 100.")),
    Column("leader_order", pgettext_lazy("people sheet column", "Leader order"), 10, aliases=("领导排序",),
           help=pgettext_lazy("people sheet help", "Only for leaders: 1 for the principal leader, then 2, "
                              "3…; leaders are listed by it.")),
    Column("roles", pgettext_lazy("people sheet column", "Roles"), 26, aliases=("角色", "角色名称"),
           help=pgettext_lazy("people sheet help", "Optional. Role names or codes, several separated by "
                              "、 or a comma, e.g. 拟稿人、承办人.")),
)
# The export adds the status of each person; an import ignores it.
STATUS_COLUMN = Column("status", pgettext_lazy("people sheet column", "Status"), 10, aliases=("状态", "人员状态"),
                       help=pgettext_lazy("people sheet help", "Exported for information; ignored on import."))
KEYS = tuple(column.key for column in COLUMNS)


def normalised_header(text: str) -> str:
    """Header text compared loosely: full-width folded, no spaces, no required-marks, lower case."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(ch for ch in text if not ch.isspace() and ch not in "*＊").lower()


def header_map() -> dict[str, str]:
    """Every spelling of every header (all site languages, key, aliases) → column key."""
    spellings: dict[str, str] = {}
    for column in (*COLUMNS, STATUS_COLUMN):
        names = {column.key, *column.aliases}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names.add(str(column.label))
        for name in names:
            spellings.setdefault(normalised_header(name), column.key)
    return spellings
