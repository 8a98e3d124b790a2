"""Font discovery for the GB/T 9704 renderer (字体).

Official documents name five typefaces: 仿宋_GB2312 for the body, 方正小标宋 for the title and the
发文机关标志, 黑体 and 楷体 for headings, 宋体 for page numbers. Government hosts usually have the
commercial fonts installed; a fresh Debian host does not, so each role falls back to the free
Fandol fonts of ``texlive-lang-chinese`` and finally to Noto CJK (``fonts-noto-cjk``).

Fonts that fontconfig knows are named by family. The Fandol fonts are installed by TeX Live
outside fontconfig's directories, so they are loaded through ``@font-face`` with a ``file://``
URL of the installed file (never a remote URL: the platform runs on an isolated network).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path

from weasyprint.text.fonts import FontConfiguration

# Families tried in order through fontconfig, for each role.
PREFERRED_FAMILIES: dict[str, tuple[str, ...]] = {
    "fangsong": ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "华文仿宋", "STFangsong",
                 "FandolFang"),
    "xiaobiaosong": ("方正小标宋简体", "方正小标宋_GBK", "方正小标宋", "FZXiaoBiaoSong-B05S",
                     "FZXiaoBiaoSong-B05", "FZXiaoBiaoSong-B05S-GBK"),
    "heiti": ("黑体", "SimHei", "方正黑体_GBK", "方正黑体简体", "FandolHei"),
    "kaiti": ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "华文楷体", "STKaiti", "FandolKai"),
    "songti": ("宋体", "SimSun", "NSimSun", "华文宋体", "STSong", "FandolSong"),
}

# Free fallbacks loaded from their installed files when fontconfig does not know them.
FANDOL_DIRECTORIES = (
    Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"),
    Path("/usr/share/texmf/fonts/opentype/public/fandol"),
    Path("/usr/local/share/fonts/fandol"),
    Path("/usr/share/fonts/opentype/fandol"),
)
FANDOL_FILES: dict[str, tuple[str, str]] = {
    # role: (family name of the font, file name)
    "fangsong": ("FandolFang", "FandolFang-Regular.otf"),
    # 小标宋 is a heavy Song face: the bold Fandol Song is the nearest free match.
    "xiaobiaosong": ("FandolSong", "FandolSong-Bold.otf"),
    "heiti": ("FandolHei", "FandolHei-Regular.otf"),
    "kaiti": ("FandolKai", "FandolKai-Regular.otf"),
    "songti": ("FandolSong", "FandolSong-Regular.otf"),
}

# Last resort, always present with fonts-noto-cjk; also the fallback for rare characters.
NOTO_FALLBACK: dict[str, str] = {
    "fangsong": "Noto Serif CJK SC",
    "xiaobiaosong": "Noto Serif CJK SC",
    "heiti": "Noto Sans CJK SC",
    "kaiti": "Noto Serif CJK SC",
    "songti": "Noto Serif CJK SC",
}

ROLES = tuple(PREFERRED_FAMILIES)


@dataclass(frozen=True)
class ResolvedFont:
    """How one role is rendered: the family found, and the CSS that selects it."""

    role: str
    family: str  # the font family actually used, as the font names itself
    css_family: str  # the name used in CSS font-family
    file: Path | None  # set when loaded through @font-face
    heavy: bool  # True when the face is already heavy (a real 小标宋 or a bold file)

    def font_face(self) -> str:
        if self.file is None:
            return ""
        weight = "bold" if self.heavy and self.role == "xiaobiaosong" else "normal"
        return (f'@font-face {{ font-family: "{self.css_family}"; font-weight: {weight}; '
                f'src: url("{self.file.as_uri()}"); }}\n')

    def stack(self) -> str:
        """The CSS font-family list: the resolved family, then Noto for missing glyphs."""
        names = [self.css_family]
        noto = NOTO_FALLBACK[self.role]
        if noto not in names:
            names.append(noto)
        generic = "sans-serif" if self.role == "heiti" else "serif"
        return ", ".join(f'"{name}"' for name in names) + f", {generic}"


@functools.cache
def installed_families() -> frozenset[str]:
    """Every family name (in every language the font declares) that fontconfig knows."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    names: set[str] = set()
    try:
        font_set = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
        string = ffi.new("FcChar8 **")
        for index in range(font_set.nfont if font_set != ffi.NULL else 0):
            pattern = font_set.fonts[index]
            n = 0
            while fontconfig.FcPatternGetString(pattern, b"family", n, string) == 0:
                names.add(ffi.string(string[0]).decode("utf-8", "replace"))
                n += 1
    finally:
        fontconfig.FcConfigDestroy(config)
    return frozenset(names)


def _fandol_file(file_name: str) -> Path | None:
    for directory in FANDOL_DIRECTORIES:
        path = directory / file_name
        if path.is_file():
            return path
    return None


@functools.cache
def resolve_fonts() -> dict[str, ResolvedFont]:
    """Pick the font for each role once per process (fonts are not installed while serving)."""
    families = installed_families()
    resolved = {}
    for role in ROLES:
        found = next((name for name in PREFERRED_FAMILIES[role] if name in families), None)
        if found is not None:
            heavy = role == "xiaobiaosong"  # a real 小标宋 is heavy by design
            resolved[role] = ResolvedFont(role, found, found, None, heavy)
            continue
        family, file_name = FANDOL_FILES[role]
        path = _fandol_file(file_name)
        if path is not None:
            # Named as the font names itself, so the PDF's font list reads FandolFang etc.;
            # FandolSong's regular (宋体) and bold (小标宋) files are two weights of one family.
            resolved[role] = ResolvedFont(role, family, family, path, file_name.endswith(
                "-Bold.otf"))
            continue
        resolved[role] = ResolvedFont(role, NOTO_FALLBACK[role], NOTO_FALLBACK[role], None, False)
    return resolved


def font_report() -> dict[str, str]:
    """Map each role (fangsong, xiaobiaosong, heiti, kaiti, songti) to the family used."""
    return {role: font.family for role, font in resolve_fonts().items()}


def font_faces_css() -> str:
    return "".join(font.font_face() for font in resolve_fonts().values())


_local = threading.local()


def font_configuration() -> FontConfiguration:
    """One WeasyPrint font configuration per thread, so @font-face files are read once."""
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config
