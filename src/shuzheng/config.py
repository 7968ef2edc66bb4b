"""Reading the platform's configuration from environment variables.

Kept free of Django imports so that settings.py, the CLI and tests share one reading of the
environment.  Every variable is prefixed ``SHUZHENG_``; docs/configuration.md lists them.
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigurationError(ValueError):
    """An environment variable holds a value the platform cannot use."""


@dataclass(frozen=True)
class Variable:
    """A ``SHUZHENG_`` variable as docs/configuration.md lists it (scripts/gendocs.py)."""

    name: str  # without the prefix
    shown_default: str
    meaning: str


# Every variable read so far, in the order settings.py reads them: the env_* calls are the one
# place a variable, its default and its meaning are written down.
DECLARED: dict[str, Variable] = {}


def declare(name: str, default: object, meaning: str, shown_default: str | None) -> None:
    shown = shown_default if shown_default is not None else show_default(default)
    DECLARED.setdefault(name, Variable(name, shown, meaning))


def show_default(default: object) -> str:
    if isinstance(default, bool):
        return "`1`" if default else "`0`"
    if isinstance(default, list):
        default = ",".join(default)
    return f"`{default}`" if default != "" else "empty"


def env_str(
    name: str, default: str = "", *, meaning: str = "", shown_default: str | None = None
) -> str:
    declare(name, default, meaning, shown_default)
    return os.environ.get(f"SHUZHENG_{name}", default)


def env_bool(
    name: str, default: bool = False, *, meaning: str = "", shown_default: str | None = None
) -> bool:
    declare(name, default, meaning, shown_default)
    raw = os.environ.get(f"SHUZHENG_{name}")
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigurationError(f"SHUZHENG_{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int, *, meaning: str = "", shown_default: str | None = None) -> int:
    declare(name, default, meaning, shown_default)
    raw = os.environ.get(f"SHUZHENG_{name}")
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"SHUZHENG_{name}={raw!r} is not a whole number") from None


def env_list(
    name: str, default: list[str], *, meaning: str = "", shown_default: str | None = None
) -> list[str]:
    declare(name, default, meaning, shown_default)
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
    # Written aside, then linked into place only if no key is there yet: processes starting
    # together (parallel test workers, the web server and the worker) all read the one key
    # that got there first, never a half-written file.
    draft = var_dir / f"secret_key.{os.getpid()}"
    draft.write_text(secrets.token_urlsafe(50))
    draft.chmod(0o600)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text().strip()
