"""Production settings pass Django's deployment checks; security settings follow the environment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys


def run_django(args: list[str], tmp_path, **env) -> subprocess.CompletedProcess:
    # A clean production-like environment: none of the test run's ZHENGTONG_* values, and not the
    # async-safety switch the browser tests set for themselves.
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("ZHENGTONG_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update({"DJANGO_SETTINGS_MODULE": "zhengtong.settings", "ZHENGTONG_DATA_DIR": str(tmp_path),
                        **env})
    return subprocess.run([sys.executable, "-m", "django", *args], env=environment, capture_output=True,
                          text=True, timeout=120)


def production(**extra) -> dict[str, str]:
    return {"ZHENGTONG_HTTPS": "true", "ZHENGTONG_DEBUG": "false",
            "ZHENGTONG_SECRET_KEY": secrets.token_urlsafe(48)[:64],
            "ZHENGTONG_ALLOWED_HOSTS": "oa.example.gov.cn", **extra}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = production()
    assert len(env["ZHENGTONG_SECRET_KEY"]) == 64
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNINGS" not in output and "?:" not in output


def test_check_deploy_warns_without_https(tmp_path):
    """The check above is not vacuous: without HTTPS the same command complains."""
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"], tmp_path,
                        **production(ZHENGTONG_HTTPS="false"))
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_session_idle_time_comes_from_the_environment(tmp_path):
    code = ("from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST, s.LOGIN_MAX_FAILURES, s.LOCKOUT_MINUTES, "
            "s.PASSWORD_MAX_AGE_DAYS, s.LOGIN_MAX_FAILURES_PER_ADDRESS, s.AUTH_PASSWORD_VALIDATORS[1]['OPTIONS'])")
    result = run_django(["shell", "-c", code], tmp_path, ZHENGTONG_SESSION_IDLE_MINUTES="7",
                        ZHENGTONG_LOGIN_MAX_FAILURES="4", ZHENGTONG_LOCKOUT_MINUTES="20",
                        ZHENGTONG_PASSWORD_MAX_AGE_DAYS="60", ZHENGTONG_LOGIN_MAX_FAILURES_PER_ADDRESS="12",
                        ZHENGTONG_PASSWORD_MIN_LENGTH="12")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "420 True 4 20 60 12 {'min_length': 12}"
