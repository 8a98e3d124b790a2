"""`zhengtong createadmin`: the first platform operator, with a one-time password shown once."""

from __future__ import annotations

import io
import re

import pytest

from zhengtong import cli
from zhengtong.directory import roles


def _roles_of(user) -> set[str]:
    from zhengtong.directory.models import RoleAssignment

    return set(RoleAssignment.objects.filter(user=user).values_list("role__code", flat=True))


def test_createadmin_on_an_empty_installation_registers_the_centre_and_the_operator(db, capsys):
    from zhengtong.audit.models import AuditRecord
    from zhengtong.directory.models import Unit, User

    assert not Unit.objects.exists()
    assert cli.main(["createadmin", "--name", "王小明", "--no-input"]) == 0
    out = capsys.readouterr().out

    unit = Unit.objects.get()
    assert unit.name == "政务信息中心"
    user = User.objects.get(username="wangxiaoming")
    assert user.name == "王小明"
    assert _roles_of(user) == {roles.PLATFORM_OPERATOR, roles.UNIT_ADMIN}
    assert user.memberships.get().unit == unit
    assert user.must_change_password

    password = re.search(r"一次性初始密码：(\S+)", out).group(1)
    assert user.check_password(password)
    assert out.count(password) == 1
    assert "首次登录时必须修改" in out
    assert AuditRecord.objects.filter(action="ops.operator.create", object_id=str(user.pk)).exists()


def test_createadmin_uses_an_existing_unit_and_the_given_username(cast, capsys):
    from zhengtong.directory.models import Unit, User

    units = Unit.objects.count()
    status = cli.main(["createadmin", "--name", "李四", "--username", "lisiguanli", "--unit-name",
                       cast.unit.name, "--another", "--no-input"])
    assert status == 0, capsys.readouterr().err
    assert Unit.objects.count() == units
    user = User.objects.get(username="lisiguanli")
    assert user.memberships.get().unit == cast.unit
    assert roles.PLATFORM_OPERATOR in _roles_of(user)


def test_a_second_operator_needs_another(cast, capsys):
    from zhengtong.directory.models import User

    before = User.objects.count()
    assert cli.main(["createadmin", "--name", "张三", "--no-input"]) == 1
    assert "已有平台管理员" in capsys.readouterr().err
    assert User.objects.count() == before


def test_bad_input_is_refused_in_chinese_and_creates_nothing(db, capsys):
    from zhengtong.directory.models import Unit, User

    assert cli.main(["createadmin", "--name", "王小明", "--mobile", "12345", "--no-input"]) == 1
    err = capsys.readouterr().err
    assert "未创建平台管理员" in err
    assert not User.objects.exists()
    assert not Unit.objects.exists(), "the unit registered for the operator is rolled back too"


def test_a_missing_name_without_input_is_refused(db, capsys):
    assert cli.main(["createadmin", "--no-input"]) == 1
    assert "--name" in capsys.readouterr().err


def test_createadmin_asks_for_what_is_missing_on_a_terminal(db, monkeypatch, capsys):
    from zhengtong.directory.models import User

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Terminal("赵六\n\n\n"))
    assert cli.main(["createadmin"]) == 0
    out = capsys.readouterr().out
    assert "平台管理员姓名" in out and "用户名 [zhaoliu]" in out
    assert User.objects.get(username="zhaoliu").memberships.get().unit.name == "政务信息中心"


@pytest.mark.parametrize("argv", [["createadmin", "--name", "王小明", "--no-input"]])
def test_the_management_command_does_the_same(db, argv):
    from django.core.management import call_command

    from zhengtong.directory.models import User

    out = io.StringIO()
    call_command(*argv, stdout=out)
    assert "一次性初始密码" in out.getvalue()
    assert User.objects.filter(username="wangxiaoming").exists()
