"""Loading the fictional 鹤山区 through the directory's real services, all in one transaction.

Passwords: the demo accounts get the published DEMO_PASSWORD, may sign in at once and are not
asked to change it. Everybody else gets *no usable password*: ``create_person`` hands back a
one-time password that the demo would have to throw away unseen, so nobody could sign in with
it anyway; an unusable password says so honestly. To hand such an account over, the unit's
system administrator resets its password (directory → 重置密码), which gives a one-time password
to be changed at first sign-in — the same path as for a person who forgot theirs.

Speed: each Argon2 hash costs 0.5–1 s on a small machine, so hashing 300 throw-away passwords
would take minutes. While the people are created, the throw-away passwords are hashed with a
cheap hasher; every one of those hashes is replaced in the same transaction, so none is ever
stored. The demo password is hashed once with the configured hasher and shared by the demo
accounts (it is published, so a shared salt gives nothing away).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.demo import data
from zhengtong.directory import roles
from zhengtong.directory import services as directory
from zhengtong.directory.defaults import CATEGORIES
from zhengtong.directory.models import Department, Unit, UnitCategory, User
from zhengtong.directory.pinyin import name_to_pinyin
from zhengtong.directory.validators import credit_code_check_character

# Only for passwords that are replaced before the transaction commits (see the module docstring).
_THROWAWAY_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# GB 11714-1997 organisation code: weights of the eight body digits.
_ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class DemoDataExists(Exception):
    """The directory already holds units; the demo loads only into an empty one."""

    def __init__(self, units: int):
        super().__init__(units)
        self.units = units


class DemoCategoriesMissing(Exception):
    """The unit categories are not there (the migrations have not run)."""


@dataclass(frozen=True)
class DemoResult:
    seed: int
    units: int
    categories: int
    departments: int
    people: int
    memberships: int
    without_password: int
    accounts: list[data.DemoAccount]
    password: str


@dataclass
class _Post:
    """A post to fill with a person: one membership with its roles."""

    unit: data.UnitSpec
    department: str
    title: str
    roles: set[str]
    leader_order: int | None = None
    name: str = ""
    username: str = ""
    demo: bool = False


def organisation_code(body: str) -> str:
    """An organisation code (组织机构代码, GB 11714-1997): eight digits and their check character."""
    total = sum(int(digit) * weight for digit, weight in zip(body, _ORGANISATION_CODE_WEIGHTS))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(*, organisation: str, institution: bool) -> str:
    """A unified social credit code (GB 32100-2015) of a 机关 (11) or 事业单位 (12) in the district."""
    first17 = ("12" if institution else "11") + data.REGION_CODE + organisation
    return first17 + credit_code_check_character(first17)


@transaction.atomic
def load_demo_district(*, seed: int = data.DEFAULT_SEED, password: str = data.DEMO_PASSWORD) -> DemoResult:
    """Load 鹤山区: units, departments, people, roles and the demo accounts (all or nothing).

    Refuses with ``DemoDataExists`` when any unit exists, so running it twice never duplicates.
    ``seed`` makes names, titles and mobile numbers reproducible; units and codes never vary.
    """
    existing = Unit.objects.count()
    if existing:
        raise DemoDataExists(existing)
    categories = {category.code: category for category in UnitCategory.objects.all()}
    if not all(spec.category in categories for spec in data.UNITS):
        raise DemoCategoriesMissing()
    rng = random.Random(seed)

    units, departments = _register_units(categories)
    posts = _plan_posts(rng)
    users = _create_people(posts, units, departments, rng)
    demo_users = [user for post, user in zip(posts, users) if post.demo]
    others = [user for post, user in zip(posts, users) if not post.demo]
    _set_demo_password(demo_users, units, password)
    for user in others:
        user.set_unusable_password()
    User.objects.bulk_update(others, ["password"], batch_size=500)
    memberships = _add_concurrent_posts(posts, users, units)

    result = DemoResult(
        seed=seed, units=len(units), categories=len({spec.category for spec in data.UNITS}),
        departments=len(departments), people=len(users), memberships=len(users) + memberships,
        without_password=len(others), accounts=list(data.DEMO_ACCOUNTS), password=password,
    )
    audit.record(actor=None, action="demo.load",
                 summary=_("Loaded the demo district %(district)s") % {"district": data.DISTRICT},
                 changes={"seed": seed, "units": result.units, "people": result.people,
                          "demo_accounts": [account.username for account in data.DEMO_ACCOUNTS],
                          "without_usable_password": result.without_password})
    return result


def _register_units(
    categories: dict[str, UnitCategory],
) -> tuple[dict[str, Unit], dict[tuple[str, str], Department]]:
    """Register every unit with its codes, then its departments (办公室 first)."""
    category_numbers = {code: number for number, (code, *_rest) in enumerate(CATEGORIES, start=1)}
    # Codes are the same whatever the seed: a fixed generator of their own.
    codes_rng = random.Random(data.DISTRICT)
    used_organisation_codes: set[str] = set()
    per_category: dict[str, int] = {}
    units: dict[str, Unit] = {}
    departments: dict[tuple[str, str], Department] = {}
    for spec in data.UNITS:
        number = per_category[spec.category] = per_category.get(spec.category, 0) + 1
        organisation = organisation_code(f"{codes_rng.randrange(10 ** 8):08d}")
        while organisation in used_organisation_codes:
            organisation = organisation_code(f"{codes_rng.randrange(10 ** 8):08d}")
        used_organisation_codes.add(organisation)
        unit = directory.register_unit(
            actor=None, name=spec.name, short_name=spec.short_name, category=categories[spec.category],
            code=f"{data.UNIT_CODE_PREFIX}{category_numbers[spec.category]}{number:02d}",
            credit_code=credit_code(organisation=organisation, institution=spec.institution),
            sort_order=number * 10, document_prefix=spec.document_prefix,
        )
        units[spec.name] = unit
        for index, name in enumerate(spec.departments):
            phone = f"{data.PHONE_AREA}-{83000000 + len(units) * 1000 + (index + 1) * 10}"
            departments[spec.name, name] = directory.create_department(
                actor=None, unit=unit, name=name, sort_order=(index + 1) * 10, phone=phone)
    return units, departments


def _plan_posts(rng: random.Random) -> list[_Post]:
    """Every post of the district, in address-book order, with roles per 《公文流转角色添加记录表》."""
    concurrent = {(post.target, post.leader_order) for post in data.CONCURRENT_POSTS}
    posts: list[_Post] = []
    for spec in data.UNITS:
        for order, title in enumerate(spec.leaders, start=1):
            if (spec.name, order) not in concurrent:
                role = roles.PRINCIPAL_LEADER if order == 1 else roles.DEPUTY_LEADER
                posts.append(_Post(spec, "", title, {role}, leader_order=order))
        for index, department in enumerate(spec.departments):
            staff = spec.office_staff if index == 0 else spec.staff.get(department, 0)
            if index == 0:  # the office: 核稿 and the seal; its staff receive and send
                head_roles = {roles.SECTION_CHIEF, roles.CHECKER, roles.SEAL_KEEPER}
            else:  # a 科室 with nobody under its head: the head drafts too
                head_roles = {roles.SECTION_CHIEF, roles.HANDLER} | (set() if staff else {roles.DRAFTER})
            posts.append(_Post(spec, department, data.head_title(department), head_roles))
            for number in range(staff):
                if index == 0 and number == 0:
                    staff_roles = {roles.CLERK, roles.UNIT_ADMIN, roles.DUTY_OFFICER}
                    staff_roles |= {roles.INFO_OFFICER} if staff == 1 else set()
                elif index == 0:
                    staff_roles = {roles.INFO_OFFICER, roles.DUTY_OFFICER}
                else:
                    staff_roles = {roles.DRAFTER, roles.HANDLER}
                posts.append(_Post(spec, department, rng.choice(data.STAFF_TITLES), staff_roles))
    for post in posts:
        if post.department in post.unit.reviewing:
            post.roles.add(roles.CONTENT_REVIEWER)
        if post.department in post.unit.operating:
            post.roles.add(roles.PLATFORM_OPERATOR)
        if post.department in post.unit.on_duty:
            post.roles.add(roles.DUTY_OFFICER)

    specs = {spec.name: spec for spec in data.UNITS}
    for account in data.DEMO_ACCOUNTS:
        post = next((p for p in posts if not p.name and p.unit.name == account.unit
                     and p.department == account.department and p.title == account.title
                     and p.leader_order == account.leader_order), None)
        if post is None:
            post = _insert_staff(posts, specs[account.unit], account.department, account.title)
        post.name, post.username, post.demo, post.roles = account.name, account.username, True, {account.role}
    for name, _username, unit, department in data.SPECIAL_READINGS:
        post = _insert_staff(posts, specs[unit], department, rng.choice(data.STAFF_TITLES))
        post.name = name
    for unit, department in data.DUPLICATE_POSTS:
        post = _insert_staff(posts, specs[unit], department, rng.choice(data.STAFF_TITLES))
        post.name = data.DUPLICATE_NAME

    reserved = {name_to_pinyin(post.name) for post in posts if post.name}
    for post in posts:
        if not post.name:
            post.name = _random_name(rng, reserved)
    return posts


def _insert_staff(posts: list[_Post], spec: data.UnitSpec, department: str, title: str) -> _Post:
    """A staff post placed after the last post of its department."""
    if department not in spec.departments:
        raise ValueError(f"{spec.name} has no department {department}")
    post = _Post(spec, department, title, {roles.DRAFTER, roles.HANDLER})
    last = max(i for i, p in enumerate(posts) if p.unit is spec and p.department == department)
    posts.insert(last + 1, post)
    return post


def _random_name(rng: random.Random, reserved: set[str]) -> str:
    """A realistic name: a common surname and one or two given-name characters."""
    weights = [1 / (rank + 8) for rank in range(len(data.SURNAMES))]
    while True:
        surname = rng.choices(data.SURNAMES, weights)[0]
        pool = data.GIVEN_MALE if rng.random() < 0.55 else data.GIVEN_FEMALE
        given = rng.choice(pool) if rng.random() < 0.3 else "".join(rng.sample(pool, 2))
        name = surname + given
        if name_to_pinyin(name) not in reserved:
            return name


def _random_mobile(rng: random.Random, taken: set[str]) -> str:
    while True:
        mobile = rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
        if mobile not in taken:
            taken.add(mobile)
            return mobile


def _create_people(posts: list[_Post], units: dict[str, Unit], departments: dict[tuple[str, str], Department],
                   rng: random.Random) -> list[User]:
    users: list[User] = []
    mobiles: set[str] = set()
    sort_orders: dict[str, int] = {}
    with override_settings(PASSWORD_HASHERS=_THROWAWAY_HASHERS):
        for post in posts:
            sort_order = sort_orders[post.unit.name] = sort_orders.get(post.unit.name, 0) + 10
            user, _initial_password = directory.create_person(
                actor=None, unit=units[post.unit.name], name=post.name, username=post.username,
                mobile=_random_mobile(rng, mobiles), title=post.title, leader_order=post.leader_order,
                department=departments[post.unit.name, post.department] if post.department else None,
                sort_order=sort_order, role_codes=sorted(post.roles),
            )
            users.append(user)
    return users


def _set_demo_password(demo_users: list[User], units: dict[str, Unit], password: str) -> None:
    """Give the demo accounts the published password, valid at once (no forced change)."""
    for user in demo_users:
        # an unsaved copy: the policy's "not a recent password" check has nothing to compare here
        validate_password(password, User(username=user.username, name=user.name, mobile=user.mobile,
                                          email=user.email))
    encoded = make_password(password)
    now = timezone.now()
    accounts = {account.username: account for account in data.DEMO_ACCOUNTS}
    for user in demo_users:
        user.password, user.must_change_password, user.password_changed_at = encoded, False, now
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        audit.record(actor=None, action="demo.account.password", obj=user,
                     unit=units[accounts[user.username].unit],
                     summary=_("Gave %(username)s the published demo password") % {"username": user.username})


def _add_concurrent_posts(posts: list[_Post], users: list[User], units: dict[str, Unit]) -> int:
    """Second posts in another unit (一人多岗) for a few leaders."""
    for concurrent in data.CONCURRENT_POSTS:
        user = next(user for post, user in zip(posts, users)
                    if post.unit.name == concurrent.source and post.leader_order == concurrent.source_leader)
        unit = units[concurrent.target]
        directory.add_membership(actor=None, user=user, unit=unit, title=concurrent.title,
                                 leader_order=concurrent.leader_order, sort_order=concurrent.leader_order)
        directory.set_roles(actor=None, user=user, unit=unit, role_codes=[concurrent.role])
    return len(data.CONCURRENT_POSTS)

