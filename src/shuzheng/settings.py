"""Django settings for shuzheng, read from ``SHUZHENG_*`` environment variables.

Defaults are safe for development on one machine (embedded SQLite under var/, local SMTP);
production must set at least SHUZHENG_SECRET_KEY, SHUZHENG_ALLOWED_HOSTS and
SHUZHENG_DATABASE_URL, and ``shuzheng check --deploy`` refuses unsafe values.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from shuzheng.config import (
    development_secret_key,
    env_bool,
    env_int,
    env_list,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or development_secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Listed so that the API docs page serves Swagger UI from ninja's own static files,
    # never from a CDN (government intranets are offline).
    "ninja",
    "shuzheng",
    "shuzheng.orgs",
    "shuzheng.accounts",
    "shuzheng.audit",
    "shuzheng.documents",
    "shuzheng.tasks",
    "shuzheng.search",
    "shuzheng.notifications",
    "shuzheng.dashboard",
    "shuzheng.subscriptions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "shuzheng.urls"
WSGI_APPLICATION = "shuzheng.wsgi.application"
ASGI_APPLICATION = "shuzheng.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shuzheng.notifications.context_processors.inbox",
            ],
        },
    },
]

SQLITE_OPTIONS = {
    # WAL lets readers proceed while the ingester writes; IMMEDIATE takes the write lock at
    # BEGIN so concurrent writers queue instead of failing with "database is locked".
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database_from_url(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        config["CONN_MAX_AGE"] = 0
    config["ATOMIC_REQUESTS"] = False
    return config


DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'shuzheng.sqlite3'}")
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    # Front-end libraries come from npm packages installed by `make`, never from a CDN.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Real SMTP everywhere; tests point SHUZHENG_EMAIL_HOST/PORT at a local SMTP server.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
            "timeout": env_int("EMAIL_TIMEOUT", 10),
        },
    },
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "shuzheng@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Notifications (docs/notifications.md): the public address of the site, put in front of links
# in emails and webhooks; and whether the dev server sends new notifications at once instead of
# waiting for the `shuzheng deliver` worker.
SITE_URL = env_str("SITE_URL", "")
NOTIFICATIONS_DELIVER_INLINE = env_bool("DELIVER_INLINE", DEBUG)

# Key-task ledger (docs/ledger.md, docs/ledger-rules.md): light windows and reminders, in days.
LEDGER_YELLOW_DAYS = env_int("LEDGER_YELLOW_DAYS", 30)
LEDGER_RECENT_REPORT_DAYS = env_int("LEDGER_RECENT_REPORT_DAYS", 30)
LEDGER_REPORT_GRACE_DAYS = env_int("LEDGER_REPORT_GRACE_DAYS", 0)
LEDGER_REMIND_BEFORE_DAYS = env_list("LEDGER_REMIND_BEFORE_DAYS", ["7", "1"])
LEDGER_REMIND_AFTER_DAYS = env_list("LEDGER_REMIND_AFTER_DAYS", ["1", "7"])
LEDGER_REMIND_REPEAT_DAYS = env_int("LEDGER_REMIND_REPEAT_DAYS", 14)
LEDGER_EVIDENCE_MAX_MB = env_int("LEDGER_EVIDENCE_MAX_MB", 20)

# Security defaults: on everywhere that does not break plain-HTTP development.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
# Intranet host names cannot be on the browsers' public HSTS preload list.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
