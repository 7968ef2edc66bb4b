"""Reading the platform's configuration from environment variables.

Kept free of Django imports so that settings.py, the CLI and tests share one reading of the
environment.  Every variable is prefixed ``SHUZHENG_``; docs/configuration.md lists them.
"""

import os
import secrets
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigurationError(ValueError):
    """An environment variable holds a value the platform cannot use."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(f"SHUZHENG_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(f"SHUZHENG_{name}")
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigurationError(f"SHUZHENG_{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(f"SHUZHENG_{name}")
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"SHUZHENG_{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(f"SHUZHENG_{name}")
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def development_secret_key(var_dir: Path) -> str:
    """Return a per-checkout random key kept in var/, so a developer needs no configuration.

    Production sets SHUZHENG_SECRET_KEY; ``shuzheng check --deploy`` refuses to pass without it.
    """
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
