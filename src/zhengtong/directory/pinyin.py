"""Usernames from Chinese names: full pinyin in lower case (seed 004 八.二: 张三 → zhangsan)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Surnames whose reading differs from the character's most common one.
COMPOUND_SURNAMES = {"尉迟": ["yu", "chi"], "长孙": ["zhang", "sun"], "欧阳": ["ou", "yang"],
                     "司马": ["si", "ma"], "诸葛": ["zhu", "ge"], "上官": ["shang", "guan"],
                     "皇甫": ["huang", "fu"], "令狐": ["ling", "hu"], "澹台": ["tan", "tai"],
                     "万俟": ["mo", "qi"], "单于": ["chan", "yu"], "东方": ["dong", "fang"]}
SURNAME_READINGS = {"单": "shan", "解": "xie", "曾": "zeng", "仇": "qiu", "区": "ou", "查": "zha",
                    "朴": "piao", "盖": "ge", "缪": "miao", "乐": "yue", "翟": "zhai", "覃": "qin",
                    "尉": "yu", "种": "chong", "繁": "po", "过": "guo", "召": "shao", "费": "fei",
                    "重": "chong", "员": "yun", "秘": "bi", "隗": "wei", "洗": "xian", "冼": "xian",
                    "牟": "mou", "黑": "he", "宓": "mi", "谌": "chen", "蕃": "pi", "教": "jiao"}


class PinyinError(ValidationError):
    """The name holds characters that the pinyin tables do not cover."""


def name_syllables(name: str) -> list[str]:
    """The pinyin syllables of a Chinese name, the surname read as a surname."""
    name = "".join(name.split())
    if not name:
        raise PinyinError(_("Enter the person's name."), code="empty")
    surname, surname_pinyin = "", []
    for compound, reading in COMPOUND_SURNAMES.items():
        if name.startswith(compound):
            surname, surname_pinyin = compound, reading
            break
    else:
        if name[0] in SURNAME_READINGS:
            surname, surname_pinyin = name[0], [SURNAME_READINGS[name[0]]]
    rest = name[len(surname):]
    unknown: list[str] = []

    def _error(chars: str):
        unknown.extend(chars)
        return ""

    # imported here: loading pypinyin's phrase tables costs ~0.75 s, which no web worker should pay
    # at start-up for pages that never make a username
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(rest, style=Style.NORMAL, errors=_error, v_to_u=False) if rest else []
    if unknown:
        raise PinyinError(
            _("No pinyin is known for %(chars)s in “%(name)s”: enter the username by hand."),
            code="unknown", params={"chars": "".join(dict.fromkeys(unknown)), "name": name},
        )
    return [syllable.replace("ü", "v").lower() for syllable in surname_pinyin + syllables]


def name_to_pinyin(name: str) -> str:
    """Full lower-case pinyin of a Chinese name, with the surname's special reading."""
    return "".join(name_syllables(name))


def name_initials(name: str) -> str:
    """Pinyin initials for address-book search (张三 → zs); empty when the name has no pinyin."""
    try:
        return "".join(syllable[0] for syllable in name_syllables(name) if syllable)
    except ValidationError:
        return ""


def next_free_username(base: str, taken: set[str]) -> str:
    """``base`` if free, otherwise base01, base02… (seed 004: 遇重名则加数字区分)."""
    if base not in taken:
        return base
    for number in range(1, 10000):
        candidate = f"{base}{number:02d}"
        if candidate not in taken:
            return candidate
    raise ValidationError(_("Too many people share the username %(base)s."), params={"base": base})
