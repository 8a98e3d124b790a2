"""Shared fixtures: the standard cast of a clerk, a section chief, a leader and an outsider."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Argon2 is deliberately slow; tests that are about hashing use their own settings.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "zh-hans"
    # No collectstatic before tests: serve assets from the finders, without the manifest.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _directory_defaults(request):
    """Transactional tests flush the database, data migrations included: put the roles back."""
    names = set(request.fixturenames)
    if not ({"db", "transactional_db"} & names or request.node.get_closest_marker("django_db")):
        return
    for name in ("transactional_db", "db"):  # the test's own database access is set up first
        if name in names:
            request.getfixturevalue(name)
            break
    from zhengtong.directory.defaults import load_defaults
    from zhengtong.directory.models import Role, UnitCategory

    if not Role.objects.exists() or not UnitCategory.objects.exists():
        load_defaults(Role, UnitCategory)


@pytest.fixture(autouse=True)
def _forget_cached_public_pages():
    """Public website pages are kept in each process's memory for a second: no test sees another's."""
    from zhengtong.portal.middleware import forget_local_pages

    forget_local_pages()
    yield
    forget_local_pages()


@dataclass
class Cast:
    unit: object
    other_unit: object
    office: object  # a department of ``unit``
    admin: object  # unit system admin of ``unit``
    clerk: object
    section_chief: object
    leader: object
    outsider: object  # a clerk and unit admin of ``other_unit``
    operator: object  # platform operator in the 政务信息中心
    password: str = "Zt-Test-Pass-2026"


@pytest.fixture
def cast(db) -> Cast:
    """A small district: two units, their people and roles, built through the real services."""
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory
    from zhengtong.directory.models import UnitCategory

    government = UnitCategory.objects.get(code="zhengfu")
    centre = directory.register_unit(actor=None, name="鹤山区人民政府办公室", short_name="区政府办",
                                     code="GOV001", category=government, document_prefix="鹤政办")
    unit = directory.register_unit(actor=None, name="鹤山区农业农村局", short_name="农业局", code="AGR001",
                                   category=government, credit_code="11440300MB2C53104M",
                                   document_prefix="鹤农")
    other = directory.register_unit(actor=None, name="鹤山区财政局", short_name="财政局", code="FIN001",
                                    category=government, document_prefix="鹤财")
    office = directory.create_department(actor=None, unit=unit, name="办公室")

    def person(name, in_unit, role_codes, department=None, title=""):
        user, _ = directory.create_person(actor=None, unit=in_unit, name=name, department=department,
                                          title=title, role_codes=role_codes)
        user.set_password(Cast.password)
        user.must_change_password = False
        user.save()
        return user

    return Cast(
        unit=unit, other_unit=other, office=office,
        admin=person("管理员甲", unit, [roles.UNIT_ADMIN], office),
        clerk=person("收发员乙", unit, [roles.CLERK], office, "科员"),
        section_chief=person("科长丙", unit, [roles.SECTION_CHIEF], office, "科长"),
        leader=person("局长丁", unit, [roles.PRINCIPAL_LEADER], None, "局长"),
        outsider=person("外单位戊", other, [roles.CLERK, roles.UNIT_ADMIN]),
        operator=person("运维己", centre, [roles.PLATFORM_OPERATOR]),
    )


@pytest.fixture
def signed_in(client, cast):
    """Return a function that signs ``client`` in as a person of the cast."""

    def _sign_in(user):
        client.force_login(user, backend="zhengtong.accounts.backends.AccountBackend")
        return client

    return _sign_in
