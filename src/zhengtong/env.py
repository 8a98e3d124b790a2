"""Small typed helpers that read settings from the environment and fail loudly on bad values.

Every variable is documented in docs/configuration.md. A variable ``X`` may also be given as
``X_FILE``, the path of a file holding the value (for secrets kept by the service manager).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigurationError(RuntimeError):
    """A setting in the environment has a value that cannot be used."""


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is not None:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigurationError(f"{name}_FILE={path!r} cannot be read: {exc}") from exc
    return None


def string(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def boolean(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name}={value!r} is not a boolean (use true/false, 1/0, yes/no)")


def integer(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name}={value!r} is not a whole number") from exc
    if minimum is not None and number < minimum:
        raise ConfigurationError(f"{name}={number} is below the minimum {minimum}")
    if maximum is not None and number > maximum:
        raise ConfigurationError(f"{name}={number} is above the maximum {maximum}")
    return number


def string_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def directory(name: str, default: str | Path) -> Path:
    path = Path(string(name, str(default))).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(f"{name}={str(path)!r} cannot be created: {exc}") from exc
    return path


def secret_key(name: str, data_dir: Path, *, filename: str = "secret_key") -> str:
    """The secret key from the environment, or one generated on first run and kept in the data dir."""
    value = _raw(name)
    if value:
        if len(value) < 50:
            raise ConfigurationError(f"{name} must be at least 50 characters long")
        return value
    key_file = data_dir / filename
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(64)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return key_file.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
