"""Configuration from the environment and the deployment refusal."""

import os
import secrets
import subprocess
import sys

import pytest

from shuzheng.config import ConfigurationError, env_bool, env_int, env_list

SAFE_PRODUCTION_ENV = {
    "SHUZHENG_SECRET_KEY": secrets.token_urlsafe(64),
    "SHUZHENG_HTTPS": "1",
    "SHUZHENG_ALLOWED_HOSTS": "zw.example.gov.cn",
    "SHUZHENG_DATABASE_URL": "postgres://shuzheng@db.invalid/shuzheng",
    "SHUZHENG_TRUST_KEK": secrets.token_urlsafe(32),
}


def run_deploy_check(**overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHUZHENG_", "DJANGO_"))}
    env.update(SAFE_PRODUCTION_ENV)
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-m", "shuzheng", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_safe_production_settings_pass_the_deploy_check():
    result = run_deploy_check()
    assert result.returncode == 0, result.stderr


#: Each unsafe setting and the check that refuses it.
UNSAFE = {
    "SHUZHENG_SECRET_KEY": ("", "shuzheng.E001"),
    "SHUZHENG_ALLOWED_HOSTS": ("*", "shuzheng.E002"),
    "SHUZHENG_DATABASE_URL": ("sqlite:////tmp/shuzheng-check.sqlite3", "shuzheng.W001"),
    "SHUZHENG_HTTPS": ("0", "security.W012"),
    "SHUZHENG_DEBUG": ("1", "security.W018"),
    "SHUZHENG_TRUST_KEK": ("", "shuzheng.W003"),
}


@pytest.fixture(scope="module")
def unsafe_check():
    """One ``check --deploy`` with every unsafe setting at once: each starts a Python with
    every app (seconds of CPU), and the safe run shows that none of the codes comes alone."""
    return run_deploy_check(**{name: value for name, (value, _code) in UNSAFE.items()})


@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_unsafe_production_settings_are_refused(unsafe_check, name):
    assert unsafe_check.returncode != 0
    assert UNSAFE[name][1] in unsafe_check.stderr


def test_booleans_numbers_and_lists_are_read_strictly(monkeypatch):
    monkeypatch.setenv("SHUZHENG_FLAG", "yes")
    monkeypatch.setenv("SHUZHENG_COUNT", "12")
    monkeypatch.setenv("SHUZHENG_HOSTS", " a.gov.cn, ,b.gov.cn ")
    assert env_bool("FLAG") is True
    assert env_int("COUNT", 1) == 12
    assert env_list("HOSTS", []) == ["a.gov.cn", "b.gov.cn"]
    monkeypatch.setenv("SHUZHENG_FLAG", "maybe")
    with pytest.raises(ConfigurationError, match="SHUZHENG_FLAG"):
        env_bool("FLAG")
    monkeypatch.setenv("SHUZHENG_COUNT", "many")
    with pytest.raises(ConfigurationError, match="SHUZHENG_COUNT"):
        env_int("COUNT", 1)
