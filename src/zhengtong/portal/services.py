"""State changes of the website (门户网站): the column tree, editors' rights, media rules, view counts.

seed 000 (一): 栏目 and the units that maintain them; seed 003: the office website's eight columns,
第十五条 部门负责制, 第十七条 media rules.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory.models import Department, RoleAssignment, Unit, User
from zhengtong.directory.selectors import is_platform_operator
from zhengtong.portal.columns import ColumnKey
from zhengtong.portal.models import ArticlePage, ColumnPage, HomePage


logger = logging.getLogger(__name__)


class PortalPermissionDenied(PermissionDenied):
    """The person may not do this on the website."""


# --- The column tree ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ColumnSpec:
    key: str
    title: str
    slug: str
    owner: tuple[str, ...] = ()  # unit names (or fragments) tried in order
    department: str = ""  # department name inside the owner unit
    children: tuple[ColumnSpec, ...] = ()


GOVERNMENT_OFFICE = ("鹤山区人民政府办公室", "人民政府办公室", "政府办")

#: seed 000 (一)1: the district website's columns and who maintains them.
DISTRICT_TREE: tuple[ColumnSpec, ...] = (
    ColumnSpec(ColumnKey.NEWS, "新闻快报", "news", GOVERNMENT_OFFICE),
    ColumnSpec(ColumnKey.GENERAL, "综合信息", "general", GOVERNMENT_OFFICE),
    ColumnSpec(ColumnKey.TOPICS, "专题", "topics", GOVERNMENT_OFFICE, children=(
        ColumnSpec(ColumnKey.INVESTMENT, "招商引资", "investment", ("商务局",)),
        ColumnSpec(ColumnKey.CULTURE_TOURISM, "文化旅游", "culture-tourism", ("文化和旅游局", "文化旅游", "文旅")),
        ColumnSpec(ColumnKey.SPECIAL, "专题专栏", "special", GOVERNMENT_OFFICE, children=(
            ColumnSpec(ColumnKey.INDUSTRY, "工业", "industry", ("商务局",)),
            ColumnSpec(ColumnKey.AGRICULTURE, "农业", "agriculture", ("农业农村局", "农业局")),
            ColumnSpec(ColumnKey.URBAN_RURAL, "城乡一体化", "urban-rural", ("城乡一体化办公室", "城乡一体化")),
            ColumnSpec(ColumnKey.FINANCE_TAX, "财税", "finance-tax", ("财政局",)),
        )),
    )),
    ColumnSpec(ColumnKey.DEPARTMENTS, "部门", "departments", GOVERNMENT_OFFICE),
    ColumnSpec(ColumnKey.INTERACTION, "互动", "interaction", GOVERNMENT_OFFICE, children=(
        ColumnSpec(ColumnKey.MESSAGES, "市民留言", "messages", GOVERNMENT_OFFICE),
        ColumnSpec(ColumnKey.MAYOR_MAILBOX, "区长信箱", "mayor-mailbox", GOVERNMENT_OFFICE),
        ColumnSpec(ColumnKey.SURVEY, "网上调查评议", "survey", GOVERNMENT_OFFICE),
        ColumnSpec(ColumnKey.THEORY, "理论研讨", "theory", GOVERNMENT_OFFICE),
    )),
    ColumnSpec(ColumnKey.DISCLOSURE, "政务公开", "disclosure", GOVERNMENT_OFFICE),
)

#: One unit's section under 部门 (seed 000: 工作动态、工作简介和部门简介).
DEPT_SECTION: tuple[ColumnSpec, ...] = (
    ColumnSpec(ColumnKey.DEPT_NEWS, "工作动态", "work-news"),
    ColumnSpec(ColumnKey.DEPT_WORK, "工作简介", "work-overview"),
    ColumnSpec(ColumnKey.DEPT_PROFILE, "部门简介", "profile"),
)

#: seed 003 第九条 and 第十一条: the office website's eight columns and the 科室 that maintain them.
OFFICE_TREE: tuple[ColumnSpec, ...] = (
    ColumnSpec(ColumnKey.OFFICE_DISCLOSURE, "政务公开", "disclosure", GOVERNMENT_OFFICE, "综合科"),
    ColumnSpec(ColumnKey.OFFICE_TOPICS, "政务专题", "topics", GOVERNMENT_OFFICE, "秘书科"),
    ColumnSpec(ColumnKey.OFFICE_POLICY, "政策文件", "policy", GOVERNMENT_OFFICE, "文书科"),
    ColumnSpec(ColumnKey.OFFICE_BUILDING, "办公室建设", "building", GOVERNMENT_OFFICE, "综合科"),
    ColumnSpec(ColumnKey.OFFICE_PROGRESS, "工作进展", "progress", GOVERNMENT_OFFICE, "督查室"),
    ColumnSpec(ColumnKey.OFFICE_GUIDE, "业务指南", "guide", GOVERNMENT_OFFICE, "综合科"),
    ColumnSpec(ColumnKey.OFFICE_HOT, "热点专题", "hot", GOVERNMENT_OFFICE),
    ColumnSpec(ColumnKey.OFFICE_EXCHANGE, "在线交流", "exchange", GOVERNMENT_OFFICE, "综合科"),
)

HOME_SLUGS = {HomePage.Layout.DISTRICT: "home", HomePage.Layout.OFFICE: "office-home"}


def resolve_unit(candidates: tuple[str, ...]) -> Unit | None:
    """The active unit a column belongs to, by exact name, short name, then a name fragment."""
    if not candidates:
        return None
    active = Unit.objects.filter(status=Unit.Status.ACTIVE)
    for name in candidates:
        unit = active.filter(Q(name=name) | Q(short_name=name)).order_by("id").first()
        if unit is not None:
            return unit
    for name in candidates:
        unit = active.filter(name__contains=name).order_by("sort_order", "id").first()
        if unit is not None:
            return unit
    return None


def _resolve_department(unit: Unit | None, name: str) -> Department | None:
    if unit is None or not name:
        return None
    return Department.objects.filter(unit=unit, name=name).order_by("id").first()


@dataclass
class TreeResult:
    home: HomePage
    created: list[Page] = field(default_factory=list)


def _publish_new(parent: Page, page: Page) -> Page:
    """A new live page without a revision (one save: the tree has ~200 pages); editing makes revisions."""
    now = timezone.now()
    page.live, page.first_published_at, page.last_published_at = True, now, now
    parent.add_child(instance=page)
    return page


def _ensure_column(parent: Page, spec: ColumnSpec, result: TreeResult, *, owner: Unit | None = None,
                   title: str = "", slug: str = "") -> ColumnPage:
    slug = slug or spec.slug
    existing = ColumnPage.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        if existing.owner_unit_id is None and spec.owner:
            # Units registered after the column was created: fill in the owner, never replace one.
            unit = resolve_unit(spec.owner)
            if unit is not None:
                existing.owner_unit = unit
                existing.owner_department = _resolve_department(unit, spec.department)
                if existing.latest_revision_id:
                    existing.save_revision(log_action=False).publish(log_action=False)
                else:
                    existing.save(update_fields=["owner_unit", "owner_department"])
                result.created.append(existing)
        return existing
    unit = owner if owner is not None else resolve_unit(spec.owner)
    column = ColumnPage(title=title or spec.title, slug=slug, column_key=spec.key, owner_unit=unit,
                        owner_department=_resolve_department(unit, spec.department))
    _publish_new(parent, column)
    result.created.append(column)
    return column


def _ensure_specs(parent: Page, specs: tuple[ColumnSpec, ...], result: TreeResult) -> None:
    for spec in specs:
        column = _ensure_column(parent, spec, result)
        _ensure_specs(column, spec.children, result)


def ensure_dept_section(*, departments: ColumnPage, unit: Unit, result: TreeResult | None = None) -> ColumnPage:
    """A unit's 部门 section with its three columns, owned by the unit (seed 000: 上网部门网页)."""
    result = result or TreeResult(home=departments.get_parent().specific)
    section = ColumnPage.objects.child_of(departments).filter(column_key=ColumnKey.DEPT, owner_unit=unit).first()
    if section is None:
        section = _ensure_column(departments, ColumnSpec(ColumnKey.DEPT, unit.name, ""), result, owner=unit,
                                 title=unit.name, slug=f"u{unit.code.lower()}")
    for spec in DEPT_SECTION:
        _ensure_column(section, spec, result, owner=unit)
    return section


def configured_layout() -> str:
    layout = getattr(settings, "ZHENGTONG_WEBSITE_LAYOUT", HomePage.Layout.DISTRICT)
    return layout if layout in HomePage.Layout.values else HomePage.Layout.DISTRICT


@transaction.atomic
def ensure_site_tree(*, actor=None, layout: str | None = None, audited: bool = True) -> TreeResult:
    """Create whatever is missing of the website's column tree and point the default site at it.

    Idempotent: existing pages are left as they are (titles and owners edited in /cms/ stay).
    ``layout`` is "district" (seed 000) or "office" (seed 003 第九条); default from the setting
    ZHENGTONG_WEBSITE_LAYOUT. ``audited=False`` is for ``migrate``, which installs the tree the way a
    data migration installs default rows: like those, it leaves no audit record.
    """
    if actor is not None and not is_platform_operator(actor):
        raise PortalPermissionDenied(_("Only the platform operator may set up the website."))
    layout = layout or configured_layout()
    root = _ensure_wagtail_basics()
    home = HomePage.objects.filter(layout=layout).order_by("path").first()
    created: list[Page] = []
    if home is None:
        home = HomePage(title=settings.WAGTAIL_SITE_NAME if layout == HomePage.Layout.DISTRICT
                        else _("Government office website"), slug=HOME_SLUGS[layout], layout=layout)
        taken = Page.objects.child_of(root).filter(slug=home.slug).first()
        if taken is not None and type(taken.specific) is Page and not taken.get_children().exists():
            # Wagtail's placeholder "Welcome to your new Wagtail site!" (slug "home"): ours replaces it.
            taken.delete()
        elif taken is not None:
            home.slug = f"{home.slug}-{int(time.time())}"
        _publish_new(root, home)
        created.append(home)
    result = TreeResult(home=home, created=created)

    if layout == HomePage.Layout.OFFICE:
        _ensure_specs(home, OFFICE_TREE, result)
    else:
        _ensure_specs(home, DISTRICT_TREE, result)
        departments = ColumnPage.objects.child_of(home).get(column_key=ColumnKey.DEPARTMENTS)
        for unit in Unit.objects.filter(status=Unit.Status.ACTIVE).order_by("category__sort_order",
                                                                             "sort_order", "id"):
            ensure_dept_section(departments=departments, unit=unit, result=result)

    _point_default_site(home)
    if result.created and audited:
        audit.record(actor=actor, action="portal.site.setup", obj=home,
                     summary=_("Website columns set up: %(count)d pages created")
                     % {"count": len(result.created)},
                     changes={"layout": layout, "created": [p.title for p in result.created][:50]})
    if result.created:
        transaction.on_commit(invalidate_public_cache)
    return result


def _ensure_wagtail_basics() -> Page:
    """Wagtail's own starting rows (default locale, root page, root collection).

    Wagtail's data migrations create them; a database flush (transactional tests, a wiped
    database) removes them, and post_migrate brings them back through here.
    """
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale

    if not Locale.objects.exists():
        Locale.objects.create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root


def _point_default_site(home: HomePage) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                            site_name=settings.WAGTAIL_SITE_NAME)
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
        site.save()
        # Wagtail's placeholder "Welcome to your new Wagtail site!" page goes once nothing uses it.
        if type(old_root.specific) is Page and old_root.depth == 2 and not old_root.get_children().exists():
            old_root.delete()
    Site.clear_site_root_paths_cache()


# --- Editors' rights from directory roles ------------------------------------------------------

GROUP_PREFIX = "网站·"
OFFICER_GROUP = GROUP_PREFIX + "信息员·%s"  # % unit code
REVIEWER_GROUP = GROUP_PREFIX + "审核人"
OPERATOR_GROUP = GROUP_PREFIX + "管理员"

REVIEWER_ROLES = (roles.CONTENT_REVIEWER, roles.PRINCIPAL_LEADER, roles.DEPUTY_LEADER,
                  roles.SECTION_CHIEF)  # 科长 reviews first in seed 003's chain
OFFICER_PAGE_PERMISSIONS = ("add", "change")  # never publish: publishing goes through the review chain
OPERATOR_PAGE_PERMISSIONS = ("add", "change", "publish", "bulk_delete", "lock", "unlock")
WAGTAIL_APPS = ("wagtailcore", "wagtailadmin", "wagtailimages", "wagtaildocs", "wagtailredirects",
                "wagtailsearch", "wagtailforms", "wagtailembeds", "wagtailsnippets", "portal", "taggit",
                "wagtailsearchpromotions", "wagtailsites", "webreview")  # webreview: the forbidden-word list


def _perm(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _media_permissions(*codenames: str) -> list[Permission]:
    found = []
    for codename in codenames:
        app = "wagtailimages" if codename.endswith("_image") else "wagtaildocs"
        found.append(_perm(app, codename))
    return found


def _set_page_permissions(group: Group, pages: list[Page], types: tuple[str, ...]) -> None:
    wanted = {(page.pk, _perm("wagtailcore", f"{t}_page").pk) for page in pages for t in types}
    current = {(gpp.page_id, gpp.permission_id): gpp.pk for gpp in GroupPagePermission.objects.filter(group=group)}
    stale = [pk for key, pk in current.items() if key not in wanted]
    if stale:
        GroupPagePermission.objects.filter(pk__in=stale).delete()
    GroupPagePermission.objects.bulk_create(
        [GroupPagePermission(group=group, page_id=page_id, permission_id=perm_id)
         for page_id, perm_id in wanted - current.keys()])


def _set_collection_permissions(group: Group, permissions: list[Permission]) -> None:
    root = Collection.get_first_root_node()
    if root is None:
        return
    for permission in permissions:
        GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def _officer_group(unit: Unit) -> Group:
    group, _created = Group.objects.get_or_create(name=OFFICER_GROUP % unit.code)
    group.permissions.add(_perm("wagtailadmin", "access_admin"))
    pages = list(ColumnPage.objects.filter(owner_unit=unit))
    _set_page_permissions(group, pages, OFFICER_PAGE_PERMISSIONS)
    _set_collection_permissions(group, _media_permissions("add_image", "choose_image", "add_document",
                                                          "choose_document"))
    return group


def _reviewer_group() -> Group:
    group, _created = Group.objects.get_or_create(name=REVIEWER_GROUP)
    group.permissions.add(_perm("wagtailadmin", "access_admin"))
    _set_collection_permissions(group, _media_permissions("choose_image", "choose_document"))
    return group


def _operator_group() -> Group:
    group, _created = Group.objects.get_or_create(name=OPERATOR_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=WAGTAIL_APPS))
    root = Page.get_first_root_node()
    if root is not None:
        _set_page_permissions(group, [root], OPERATOR_PAGE_PERMISSIONS)
    _set_collection_permissions(group, _media_permissions(
        "add_image", "change_image", "delete_image", "choose_image",
        "add_document", "change_document", "delete_document", "choose_document"))
    return group


def _wanted_group_names(user: User) -> set[str]:
    """The website groups a person belongs in, from their directory roles (active units only)."""
    if not user.is_active:
        return set()
    names: set[str] = set()
    assignments = RoleAssignment.objects.filter(user=user, unit__status=Unit.Status.ACTIVE,
                                                role__code__in=(roles.INFO_OFFICER, roles.PLATFORM_OPERATOR,
                                                                *REVIEWER_ROLES))
    for code, unit_code in assignments.values_list("role__code", "unit__code"):
        if code == roles.INFO_OFFICER:
            names.add(OFFICER_GROUP % unit_code)
        elif code == roles.PLATFORM_OPERATOR:
            names.add(OPERATOR_GROUP)
        else:
            names.add(REVIEWER_GROUP)
    return names


def _sync_user_groups(user: User, groups_by_name: dict[str, Group]) -> tuple[set[str], set[str]]:
    wanted = _wanted_group_names(user)
    current = set(user.groups.filter(name__startswith=GROUP_PREFIX).values_list("name", flat=True))
    added, removed = wanted - current, current - wanted
    if removed:
        user.groups.remove(*Group.objects.filter(name__in=removed))
    if added:
        for name in added:
            if name not in groups_by_name:
                groups_by_name[name] = _group_for_name(name)
        user.groups.add(*(groups_by_name[name] for name in added if groups_by_name[name] is not None))
    return added, removed


def _group_for_name(name: str) -> Group | None:
    if name == OPERATOR_GROUP:
        return _operator_group()
    if name == REVIEWER_GROUP:
        return _reviewer_group()
    code = name.removeprefix(OFFICER_GROUP % "")
    unit = Unit.objects.filter(code=code, status=Unit.Status.ACTIVE).first()
    return _officer_group(unit) if unit is not None else None


@transaction.atomic
def sync_cms_permissions(*, user: User | None = None) -> dict[str, int]:
    """Bring the editors' interface (/cms/) in line with directory roles.

    seed 003 第十五条 部门负责制: a unit's information officers (信息员) may add and edit articles in
    the columns their unit owns — never publish, which goes through the review chain; reviewers
    (审核人, leaders) may enter /cms/ to review; the platform operator configures everything.
    With ``user``, only that person's memberships are refreshed (when they open /cms/).
    """
    groups_by_name: dict[str, Group] = {}
    if user is not None:
        added, removed = _sync_user_groups(user, groups_by_name)
        if added or removed:
            _record_access_change(user, added, removed)
        return {"added": len(added), "removed": len(removed)}

    groups_by_name[OPERATOR_GROUP] = _operator_group()
    groups_by_name[REVIEWER_GROUP] = _reviewer_group()
    for unit in Unit.objects.filter(status=Unit.Status.ACTIVE, portal_columns__isnull=False).distinct():
        groups_by_name[OFFICER_GROUP % unit.code] = _officer_group(unit)
    # Groups of units that ended or lost their columns lose their page rights.
    for group in Group.objects.filter(name__startswith=OFFICER_GROUP % "").exclude(name__in=groups_by_name):
        GroupPagePermission.objects.filter(group=group).delete()

    people = User.objects.filter(Q(groups__name__startswith=GROUP_PREFIX) | Q(
        role_assignments__role__code__in=(roles.INFO_OFFICER, roles.PLATFORM_OPERATOR, *REVIEWER_ROLES))).distinct()
    total_added = total_removed = 0
    for person in people:
        added, removed = _sync_user_groups(person, groups_by_name)
        if added or removed:
            _record_access_change(person, added, removed)
        total_added += len(added)
        total_removed += len(removed)
    return {"groups": len(groups_by_name), "added": total_added, "removed": total_removed}


def _record_access_change(user: User, added: set[str], removed: set[str]) -> None:
    audit.record(actor=None, action="portal.cms_access.sync", obj=user,
                 summary=_("Website editing rights of %(name)s follow their roles") % {"name": user.name},
                 changes={"added": sorted(added), "removed": sorted(removed)})


def may_use_cms(user) -> bool:
    """Whether a person has any directory role that opens /cms/ (information officer, reviewer, operator)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(_wanted_group_names(user))


# --- Media rules (seed 003 第十七条) ------------------------------------------------------------

IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp")
IMAGE_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "txt")
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
#: 4:3, at most 500 × 375 points (第十七条: 图片为.jpg格式，宽高比为4:3，大小不超过500×375点阵).
IMAGE_WIDTH, IMAGE_HEIGHT = 500, 375


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_document_upload(uploaded) -> None:
    """Documents: pdf/doc/docx/xls/xlsx/wps/txt up to 20 MB."""
    if _extension(uploaded.name) not in DOCUMENT_EXTENSIONS:
        raise ValidationError(_("Only these file types may be attached: %(types)s.")
                              % {"types": "、".join(DOCUMENT_EXTENSIONS)}, code="file_type")
    if uploaded.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("The file is %(size)s; attachments may be at most %(limit)s.")
                              % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(DOCUMENT_MAX_BYTES)},
                              code="file_size")


def normalise_image(uploaded, *, name: str = "", convert: bool = True) -> ContentFile | None:
    """An uploaded picture as the website keeps it: a JPEG cropped to 4:3, at most 500 × 375.

    Refuses other types, files over 10 MB and files that are not readable images.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    name = name or getattr(uploaded, "name", "") or "image.jpg"
    if _extension(name) not in IMAGE_EXTENSIONS:
        raise ValidationError(_("Only JPG, PNG, GIF and WebP pictures may be uploaded."), code="file_type")
    size = getattr(uploaded, "size", None)
    if size is not None and size > IMAGE_MAX_BYTES:
        raise ValidationError(_("The picture is %(size)s; pictures may be at most %(limit)s.")
                              % {"size": filesizeformat(size), "limit": filesizeformat(IMAGE_MAX_BYTES)},
                              code="file_size")
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    try:
        with Image.open(uploaded) as source:
            source.load()
            if not convert:
                return None
            picture = ImageOps.exif_transpose(source).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not a picture that can be read."), code="invalid_image") from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors on damaged files
        raise ValidationError(_("This file is not a picture that can be read."), code="invalid_image") from None
    finally:
        if hasattr(uploaded, "seek"):
            uploaded.seek(0)
    picture = ImageOps.fit(picture, _fit_size(picture.size), method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.jpg")


def check_image_upload(uploaded) -> None:
    """The type, size and readability checks of normalise_image, without converting."""
    normalise_image(uploaded, convert=False)


def record_refused_upload(*, actor, kind: str, name: str, error: ValidationError) -> None:
    """A picture or attachment the media rules refused (seed 003 第十七条): the attempt is audited."""
    audit.record(actor=actor, action="portal.upload.refuse",
                 summary=_("Upload refused: %(name)s") % {"name": name[:100]},
                 changes={"kind": kind, "file": name[:200], "reasons": list(error.messages)})


def record_cms_refusal(*, actor, method: str, path: str) -> None:
    """Someone tried what their website rights do not allow (e.g. adding to another unit's column)."""
    audit.record(actor=actor, action="portal.cms.refuse",
                 summary=_("Refused in the website editor: %(method)s %(path)s") % {"method": method,
                                                                                  "path": path[:200]},
                 changes={"method": method, "path": path[:500]})


def _fit_size(size: tuple[int, int]) -> tuple[int, int]:
    """The largest 4:3 box not over 500 × 375 that the picture can fill without enlarging."""
    width, height = size
    w = min(IMAGE_WIDTH, width, height * 4 // 3)
    w -= w % 4
    w = max(w, 4)
    return w, w * 3 // 4


@transaction.atomic
def add_image(*, actor, title: str, file, collection: Collection | None = None):
    """Store a picture under the media rules (normalised to JPEG 4:3 ≤ 500 × 375)."""
    from wagtail.images import get_image_model

    if actor is not None and not (actor.has_perm("wagtailimages.add_image") or may_use_cms(actor)):
        raise PortalPermissionDenied(_("You may not upload pictures."))
    normalised = normalise_image(file)
    image_model = get_image_model()
    image = image_model(title=title, file=normalised, uploaded_by_user=actor,
                        collection=collection or Collection.get_first_root_node())
    image.file_size = normalised.size
    image._set_file_hash()
    image.save()
    audit.record(actor=actor, action="portal.image.add", obj=image, summary=title)
    return image


# --- Article views (counted in batches, not one write per request) -----------------------------

_view_lock = threading.Lock()
_pending_views: Counter[int] = Counter()
_last_flush = [time.monotonic()]
VIEW_FLUSH_SECONDS = 10.0


def record_article_view(page_id: int) -> None:
    """Count a view in memory; written to the database at most every few seconds per process."""
    with _view_lock:
        _pending_views[page_id] += 1
        due = time.monotonic() - _last_flush[0] >= VIEW_FLUSH_SECONDS
    if due:
        flush_article_views()


def flush_article_views() -> int:
    """Write counted views: one UPDATE per article (views = views + n)."""
    with _view_lock:
        pending = dict(_pending_views)
        _pending_views.clear()
        _last_flush[0] = time.monotonic()
    for page_id, count in pending.items():
        ArticlePage.objects.filter(pk=page_id).update(views=F("views") + count)
    return sum(pending.values())


# --- Public cache --------------------------------------------------------------------------------

CACHE_GENERATION_KEY = "portal:public:generation"


def public_cache_generation() -> int:
    generation = cache.get(CACHE_GENERATION_KEY)
    if generation is None:
        cache.add(CACHE_GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(CACHE_GENERATION_KEY)
    return generation


def invalidate_public_cache(**kwargs) -> None:
    """Drop every cached public page (a new generation): called when anything is published."""
    from zhengtong.portal.middleware import forget_local_pages

    forget_local_pages()
    try:
        cache.set(CACHE_GENERATION_KEY, time.time_ns(), None)
    except DatabaseError:
        # The database cache's table does not exist yet (during the first migrate): nothing is cached.
        logger.info("public cache not available yet; nothing to invalidate")
