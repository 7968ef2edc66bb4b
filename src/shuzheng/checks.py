"""Deployment checks: ``shuzheng check --deploy`` refuses unsafe production settings.

Django's own deploy checks cover DEBUG, HTTPS and cookie flags; these add what is specific to
how shuzheng is configured (environment variables, the embedded database, mail).
"""

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from shuzheng import clock
from shuzheng.notifications.services import webhook_allow_list


@register(Tags.security, deploy=True)
def check_secret_key_is_configured(app_configs, **kwargs):
    if os.environ.get("SHUZHENG_SECRET_KEY"):
        return []
    return [
        Error(
            "SHUZHENG_SECRET_KEY is not set: the development key from var/secret_key is in use.",
            hint="Set SHUZHENG_SECRET_KEY to a long random value kept outside the code.",
            id="shuzheng.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_allowed_hosts_are_explicit(app_configs, **kwargs):
    if "*" in settings.ALLOWED_HOSTS:
        return [
            Error(
                "SHUZHENG_ALLOWED_HOSTS contains '*': any Host header is accepted.",
                hint="List the host names the platform is served under.",
                id="shuzheng.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_production_database(app_configs, **kwargs):
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        return [
            Warning(
                "The embedded SQLite database is in use.",
                hint="Production runs on PostgreSQL: set SHUZHENG_DATABASE_URL=postgres://…",
                id="shuzheng.W001",
            )
        ]
    return []


@register()
def check_clock_setting(app_configs, **kwargs):
    try:
        clock.now()
    except ValueError:
        return [
            Error(
                f"SHUZHENG_CLOCK={settings.CLOCK!r} is neither a day nor a time.",
                hint="Use a day such as 2024-12-31 or a time such as 2024-12-31T18:00, or unset it.",
                id="shuzheng.E003",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_clock_is_not_frozen(app_configs, **kwargs):
    if settings.CLOCK:
        return [
            Warning(
                f"SHUZHENG_CLOCK={settings.CLOCK!r} freezes the platform clock.",
                hint="Deadlines, lights and reminders judge the wrong day: unset it in production.",
                id="shuzheng.W002",
            )
        ]
    return []


@register()
def check_webhook_allow_list(app_configs, **kwargs):
    """A typo in SHUZHENG_WEBHOOK_ALLOW must not pass as a host name nor stop deliveries."""
    try:
        webhook_allow_list()
    except ValueError as error:
        return [
            Error(
                f"SHUZHENG_WEBHOOK_ALLOW: {error}.",
                hint="List host names, IP addresses or networks such as 10.20.0.0/16.",
                id="shuzheng.E004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_trust_kek_is_configured(app_configs, **kwargs):
    """Seal keys sealed under a key derived from the secret key fall with it (issue 10)."""
    if settings.TRUST_KEK:
        return []
    return [
        Warning(
            "SHUZHENG_TRUST_KEK is not set: seal and CA private keys are sealed under a key "
            "derived from the secret key.",
            hint="Set SHUZHENG_TRUST_KEK to a long random value kept apart from the secret key "
            "and the database backups.",
            id="shuzheng.W003",
        )
    ]
