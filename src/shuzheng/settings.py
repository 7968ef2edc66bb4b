"""Django settings for shuzheng, read from ``SHUZHENG_*`` environment variables.

Defaults are safe for development on one machine (embedded SQLite under var/, local SMTP);
production must set at least SHUZHENG_SECRET_KEY, SHUZHENG_ALLOWED_HOSTS and
SHUZHENG_DATABASE_URL, and ``shuzheng check --deploy`` refuses unsafe values.
"""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
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
VAR_DIR = Path(
    env_str(
        "VAR_DIR",
        str(BASE_DIR / "var"),
        shown_default="`<repo>/var`",
        meaning="where the embedded database, uploads and the development key live",
    )
)

DEBUG = env_bool(
    "DEBUG",
    False,
    meaning="`1` shows tracebacks and reloads on code changes (`make dev` sets it) — never in production",
)
SECRET_KEY = env_str(
    "SECRET_KEY",
    shown_default="a random key kept in `var/secret_key`",
    meaning="*required in production*: signs sessions, CSRF tokens, password-reset links",
) or development_secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "[::1]"],
    meaning="*required in production*: comma-separated host names",
)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS",
    [],
    meaning="comma-separated origins (`https://zw.example.gov.cn`) when behind a proxy on another origin",
)
CSRF_FAILURE_VIEW = "shuzheng.views.csrf_failure"

INSTALLED_APPS = [
    # Django's admin on shuzheng's admin site: the platform's one login path (docs/security.md).
    "shuzheng.accounts.apps.AdminConfig",
    # Before django.contrib.auth: its changepassword command replaces Django's (audited).
    "shuzheng.accounts",
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
    "shuzheng.audit",
    "shuzheng.documents",
    "shuzheng.tasks",
    "shuzheng.search",
    "shuzheng.notifications",
    "shuzheng.dashboard",
    "shuzheng.subscriptions",
    "shuzheng.hotline",
    "shuzheng.catalog",
    "shuzheng.exchange",
    "shuzheng.ecocomp",
    "shuzheng.trust",
    "django_tasks_db",
    "shuzheng.worker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Errors under /api/ in the API's JSON body, also those Django answers (404, 405, 500).
    "shuzheng.api_contract.ApiErrorsAsJsonMiddleware",
    # Static files from the production server itself (docs/operations.md): hashed names,
    # gzip, cached for a year; `make run` collects them first.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle timeout, absolute session lifetime, password change on first login (docs/security.md).
    "shuzheng.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "shuzheng.middleware.PermissionsPolicyMiddleware",
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
    config = dj_database_url.parse(
        url,
        conn_max_age=env_int(
            "DATABASE_CONN_MAX_AGE", 60, meaning="seconds a PostgreSQL connection is kept open"
        ),
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        config["CONN_MAX_AGE"] = 0
    config["ATOMIC_REQUESTS"] = False
    return config


DATABASE_URL = env_str(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'shuzheng.sqlite3'}",
    shown_default="`sqlite:///<repo>/var/shuzheng.sqlite3`",
    meaning="database; production: `postgres://user:password@host:5432/name` or a unix socket "
    "`postgres://user@/name?host=/run/postgresql`",
)
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The policy library's search engine (docs/search.md): an embedded tantivy index, a copy of the
# index entries in the database kept in step through the outbox table `search_outbox`.
SEARCH_INDEX_DIR = Path(
    env_str(
        "SEARCH_INDEX_DIR",
        str(VAR_DIR / "search-index"),
        shown_default="`<var>/search-index`",
        meaning="directory of the search engine's index (tantivy); every web process and the "
        "worker of one installation must see the same directory",
    )
)
#: Apply an index change in the writing transaction instead of after its commit: the tests,
#: whose transactions are rolled back and never commit (tests/conftest.py).
SEARCH_INDEX_AT_ONCE = False
#: Keep the index in memory (tests: a disk commit per write costs 0.2–0.5 s on a busy disk).
SEARCH_INDEX_IN_MEMORY = False

AUTH_USER_MODEL = "accounts.User"
#: Django's model backend, answering has_perm() for the role permissions too (docs/security.md).
AUTHENTICATION_BACKENDS = ["shuzheng.accounts.backends.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Identification and authentication (docs/security.md, "身份鉴别"): password rules of
# 等保 2.0 level 3, limits on failed logins, session lifetime.
PASSWORD_MIN_LENGTH = env_int(
    "PASSWORD_MIN_LENGTH",
    10,
    meaning="the shortest password accepted (等保 2.0 level 3: 10 or more)",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "shuzheng.accounts.password_validation.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3},
    },
    {"NAME": "shuzheng.accounts.password_validation.UsernameDerivedValidator"},
]
LOGIN_ACCOUNT_FAILURES = env_int(
    "LOGIN_ACCOUNT_FAILURES",
    5,
    meaning="failed logins of one username (from any address) after which every further try "
    "must wait",
)
LOGIN_ADDRESS_FAILURES = env_int(
    "LOGIN_ADDRESS_FAILURES",
    20,
    meaning="failed logins from one client address (any usernames) after which every further "
    "try from there must wait",
)
LOGIN_FAMILIAR_ADDRESS_DAYS = env_int(
    "LOGIN_FAMILIAR_ADDRESS_DAYS",
    30,
    meaning="an address an account signed in from within this many days is spared that "
    "account's wait (others' failures elsewhere cannot keep its owner out); `0` = never",
)
LOGIN_FAILURE_WINDOW_MINUTES = env_int(
    "LOGIN_FAILURE_WINDOW_MINUTES",
    60,
    meaning="failed logins older than this are forgotten (those of an account also on its "
    "successful login)",
)
LOGIN_DELAY_SECONDS = env_int(
    "LOGIN_DELAY_SECONDS",
    60,
    meaning="the first wait after too many failures; doubled with every further failure",
)
LOGIN_DELAY_MAX_SECONDS = env_int(
    "LOGIN_DELAY_MAX_SECONDS",
    1800,
    meaning="the longest wait: a login is never locked for longer after the last failure",
)
CLIENT_ADDRESS_HEADER = env_str(
    "CLIENT_ADDRESS_HEADER",
    "",
    shown_default="unset: the connection's address",
    meaning="header a trusted reverse proxy sets to the client's address (`X-Real-IP`; of "
    "`X-Forwarded-For` the last entry) for the login limits and the accounts' audit events; "
    "only behind a proxy that overwrites it",
)
SESSION_IDLE_MINUTES = env_int(
    "SESSION_IDLE_MINUTES", 30, meaning="a session unused for this long is signed out"
)
SESSION_MAX_HOURS = env_int(
    "SESSION_MAX_HOURS",
    12,
    meaning="a session is signed out this long after its login, however active",
)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str(
    "TIME_ZONE",
    "Asia/Shanghai",
    meaning="the time zone of the dates shown and of the ledger's today",
)
CLOCK = env_str(
    "CLOCK",
    "",
    shown_default="unset: the system time",
    meaning="freeze the platform clock at a day or time (`2024-12-30`, `2024-12-30T18:00`) for "
    "demos and for tests that start a worker; never in production",
)
SUPERVISION_OFFICE = env_str(
    "SUPERVISION_OFFICE",
    "",
    shown_default="unset: 督查室 (Supervision office in English)",
    meaning="the office that signs the unsealed 督办单 and 情况通报, e.g. 自治区人民政府督查室",
)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    # Front-end libraries come from npm packages installed by `make`, never from a CDN.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Real SMTP everywhere; tests point SHUZHENG_EMAIL_HOST/PORT at a local SMTP server.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str(
                "EMAIL_HOST",
                "localhost",
                meaning="SMTP server (real SMTP; tests start a local one)",
            ),
            "port": env_int("EMAIL_PORT", 25, meaning="SMTP port"),
            "username": env_str("EMAIL_HOST_USER", meaning="SMTP user name"),
            "password": env_str("EMAIL_HOST_PASSWORD", meaning="SMTP password"),
            "use_tls": env_bool("EMAIL_USE_TLS", False, meaning="`1`: STARTTLS"),
            "use_ssl": env_bool("EMAIL_USE_SSL", False, meaning="`1`: implicit TLS"),
            "timeout": env_int("EMAIL_TIMEOUT", 10, meaning="SMTP timeout in seconds"),
        },
    },
}
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "shuzheng@localhost", meaning="sender of notifications"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Notifications (docs/notifications.md): the public address of the site, put in front of links
# in emails and webhooks; and whether the dev server sends new notifications at once instead of
# waiting for the worker's delivery job.
SITE_URL = env_str(
    "SITE_URL",
    "",
    meaning="the platform's public address (`https://zw.example.gov.cn`), used for links in emails "
    "and webhooks",
)
NOTIFICATIONS_DELIVER_INLINE = env_bool(
    "DELIVER_INLINE",
    DEBUG,
    shown_default="on when `SHUZHENG_DEBUG=1`",
    meaning="deliver notifications right after they are created (development); otherwise the "
    "worker's delivery job sends them",
)
# Webhook destinations (docs/security.md, "Webhook destinations"): only public addresses,
# unless listed here — host names, or IP addresses and networks of internal receivers.
NOTIFICATIONS_WEBHOOK_ALLOW = env_list(
    "WEBHOOK_ALLOW",
    [],
    meaning="comma-separated host names and IP networks (`oa.unit.example`, `10.20.0.0/16`) that "
    "webhooks may reach although they are not public addresses",
)

# Background jobs (docs/operations.md): Django's Tasks framework on django-tasks-db's database
# backend — the queue is a table of the platform's own database, SQLite or PostgreSQL
# (docs/benchmarks.md, "Worker"). `shuzheng worker` runs it; a failed job is retried after
# WORKER_RETRY_DELAY seconds, doubled on each attempt, up to WORKER_MAX_ATTEMPTS attempts.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER_MAX_ATTEMPTS = env_int(
    "WORKER_MAX_ATTEMPTS", 3, meaning="attempts of a failing background job before it is failed"
)
WORKER_RETRY_DELAY = env_int(
    "WORKER_RETRY_DELAY",
    60,
    meaning="seconds before a failed background job is retried, doubled on each attempt",
)
WORKER_LEASE = env_int(
    "WORKER_LEASE",
    300,
    meaning="seconds a running background job may go without a heartbeat from its worker "
    "before it counts as abandoned and is queued again (failed after its last attempt)",
)

# Ingestion (docs/ingestion.md, "Large files"): the largest file of each format ingestion
# takes, refused with a message before any work (parsing holds a few copies of the text);
# files above INGEST_BACKGROUND_MB are ingested by the worker while the page shows progress.
_INGEST_TEXT_MB = env_int(
    "INGEST_MAX_MB_TEXT",
    50,
    meaning="largest txt, md or html file ingestion takes, in MB (the parser's own ceiling is "
    "50 MB: a larger value changes nothing)",
)
INGEST_MAX_MB = {
    "txt": _INGEST_TEXT_MB,
    "md": _INGEST_TEXT_MB,
    "html": _INGEST_TEXT_MB,
    "htm": _INGEST_TEXT_MB,
    "docx": env_int("INGEST_MAX_MB_DOCX", 32, meaning="largest docx file ingestion takes, in MB"),
    "pdf": env_int("INGEST_MAX_MB_PDF", 32, meaning="largest pdf file ingestion takes, in MB"),
}
INGEST_BACKGROUND_MB = env_int(
    "INGEST_BACKGROUND_MB",
    2,
    meaning="uploads larger than this many MB are ingested by the worker, the page and the API "
    "answering at once with a job whose progress they show",
)

# Key-task ledger (docs/ledger.md, docs/ledger-rules.md): light windows and reminders, in days.
LEDGER_YELLOW_DAYS = env_int(
    "LEDGER_YELLOW_DAYS",
    30,
    meaning="key-task ledger: a milestone due within this many days without a recent report is "
    "yellow (docs/ledger-rules.md)",
)
LEDGER_RECENT_REPORT_DAYS = env_int(
    "LEDGER_RECENT_REPORT_DAYS",
    30,
    meaning="a progress report at most this many days old counts as recent",
)
LEDGER_REPORT_GRACE_DAYS = env_int(
    "LEDGER_REPORT_GRACE_DAYS",
    0,
    meaning="reports are due this many days after their month or quarter ends (5 = by the 5th)",
)
LEDGER_REMIND_BEFORE_DAYS = env_list(
    "LEDGER_REMIND_BEFORE_DAYS",
    ["7", "1"],
    meaning="reminders (催办) this many days before a due date (`0` = on the day)",
)
LEDGER_REMIND_AFTER_DAYS = env_list(
    "LEDGER_REMIND_AFTER_DAYS",
    ["1", "7"],
    meaning="reminders this many days after a due date",
)
LEDGER_REMIND_REPEAT_DAYS = env_int(
    "LEDGER_REMIND_REPEAT_DAYS",
    14,
    meaning="then every this many days until done (`0` = no repeat)",
)
LEDGER_REMIND_HOUR = env_int(
    "LEDGER_REMIND_HOUR",
    8,
    meaning="the worker sends the day's reminders from this hour on (local time)",
)
LEDGER_EVIDENCE_MAX_MB = env_int(
    "LEDGER_EVIDENCE_MAX_MB",
    20,
    meaning="largest evidence file a progress report accepts, in MB",
)
# Trust services (issue 10): the key-encryption key of the seals' and the root's SM2 keys.
TRUST_KEK = env_str(
    "TRUST_KEK",
    shown_default="derived from the secret key",
    meaning="*set in production*: the key-encryption key (any long random text) under which "
    "seal and CA private keys are sealed with SM4-GCM; changing it makes the stored keys "
    "unusable",
)
# Data catalog (docs/catalog-workbook.md): the largest workbook the catalog import reads.
CATALOG_IMPORT_MAX_MB = env_int(
    "CATALOG_IMPORT_MAX_MB",
    20,
    meaning="largest catalog workbook (xlsx or CSV) the catalog import takes, in MB",
)
# Data quality (issue 11, point 4): the database tables a distribution may name for the
# quality checks to read; the platform's own tables never match.
CATALOG_DATA_TABLE_PREFIX = env_str(
    "CATALOG_DATA_TABLE_PREFIX",
    "data_",
    meaning="prefix of the database tables a catalog distribution may point the quality "
    "checks at (data loaded by the offices; the platform's own tables are refused)",
)
# Data exchange's message log (issue 16, point 3; exchange-log): how long the production
# server buffers answered calls before chaining and writing them in one batch.
EXCHANGE_LOG_FLUSH_MS = env_int(
    "EXCHANGE_LOG_FLUSH_MS",
    200,
    meaning="milliseconds the production server holds the data API's answered calls before "
    "writing them to the message log in one batch; `0` writes each call before its answer ends",
)
# Data exchange's change feed (issue 16, point 4): how long the outbox keeps a change that
# every subscriber has received.
EXCHANGE_FEED_RETENTION_DAYS = env_int(
    "EXCHANGE_FEED_RETENTION_DAYS",
    7,
    meaning="days the change feed's outbox keeps a change after it was written, once every "
    "subscriber of its table has received it (a change not yet received is kept); `0` keeps "
    "every change",
)
# Electronic licences (issue 10): the address their QR codes and shared links point at.
PUBLIC_URL = env_str(
    "PUBLIC_URL",
    "http://127.0.0.1:8000",
    meaning="the address the public reaches the platform at: licences' QR codes and shared "
    "verification links start with it",
)

# Security defaults: on everywhere that does not break plain-HTTP development.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy in every mode (issue 9 point 10, docs/security.md "HTTP headers"):
# the pages load only their own static files, so no inline script and no inline style is
# allowed; htmx's indicator style is in site.css (base.html switches off its injected one).
# Images may be data: URLs (the API docs' icons are).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
#: Browser features no page of the platform uses are switched off for it and anything it
#: could embed (shuzheng.middleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
} | {"fullscreen": ["self"]}
HTTPS = env_bool(
    "HTTPS", False, meaning="`1` marks cookies secure, redirects HTTP to HTTPS and sends HSTS"
)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int(
    "HSTS_SECONDS",
    31536000 if HTTPS else 0,
    shown_default="`31536000` with HTTPS, else `0`",
    meaning="HSTS max-age",
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool(
    "HSTS_PRELOAD", False, meaning="only for public host names on the browsers' preload list"
)
# Intranet host names cannot be on the browsers' public HSTS preload list.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool(
    "BEHIND_PROXY", False, meaning="trust `X-Forwarded-Proto` from a TLS-terminating proxy"
):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_str("LOG_LEVEL", "INFO", meaning="level of the log written to standard error"),
    },
}
