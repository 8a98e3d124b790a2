"""Zhengtong settings: one module, every value from the environment (see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from zhengtong import env

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout (for an editable install): front-end packages live in its node_modules.
PROJECT_DIR = PACKAGE_DIR.parent.parent

DATA_DIR = env.directory("ZHENGTONG_DATA_DIR", "data")
SECRET_KEY = env.secret_key("ZHENGTONG_SECRET_KEY", DATA_DIR)
DEBUG = env.boolean("ZHENGTONG_DEBUG", False)
ALLOWED_HOSTS = env.string_list("ZHENGTONG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.string_list("ZHENGTONG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "zhengtong.core",
    "zhengtong.directory",
    "zhengtong.audit",
    "zhengtong.workdays",
    "zhengtong.accounts",
    "zhengtong.office",
    "zhengtong.workflow",
    "zhengtong.documents",
    "zhengtong.portal",
    "zhengtong.webreview",
    "zhengtong.quotas",
    "zhengtong.notifications",
    "zhengtong.seals",
    "zhengtong.exchange",
    "zhengtong.ops",
    "zhengtong.demo",
    # Wagtail: the public website (portal) and its editors' interface at /cms/
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.sitemaps",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhengtong.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhengtong.core.middleware.RequestContextMiddleware",
    "zhengtong.directory.middleware.CurrentUnitMiddleware",
    "zhengtong.accounts.middleware.PasswordPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "zhengtong.urls"
WSGI_APPLICATION = "zhengtong.wsgi.application"
ASGI_APPLICATION = "zhengtong.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhengtong.office.context_processors.office",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env.string("ZHENGTONG_DATABASE_URL", f"sqlite:///{DATA_DIR / 'zhengtong.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # A worker and the web server write to the same file: take the write lock at BEGIN so
        # neither sees "database is locked" half-way through a transaction, and wait for it.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's database search backend uses PostgreSQL's full-text fields and indexes there.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "directory.User"
AUTHENTICATION_BACKENDS = ["zhengtong.accounts.backends.AccountBackend"]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "office:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MIN_LENGTH = env.integer("ZHENGTONG_PASSWORD_MIN_LENGTH", 10, minimum=8, maximum=128)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "name", "mobile", "email")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhengtong.accounts.validators.NotUsernameValidator"},
    {"NAME": "zhengtong.accounts.validators.CharacterClassesValidator"},
    {"NAME": "zhengtong.accounts.validators.NotRecentPasswordValidator", "OPTIONS": {"history": 5}},
]
PASSWORD_MAX_AGE_DAYS = env.integer("ZHENGTONG_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
LOGIN_MAX_FAILURES = env.integer("ZHENGTONG_LOGIN_MAX_FAILURES", 5, minimum=1)
LOCKOUT_MINUTES = env.integer("ZHENGTONG_LOCKOUT_MINUTES", 15, minimum=1)
# Failed sign-ins from one address (any usernames) within LOCKOUT_MINUTES before it is refused.
LOGIN_MAX_FAILURES_PER_ADDRESS = env.integer("ZHENGTONG_LOGIN_MAX_FAILURES_PER_ADDRESS", 30, minimum=1)
SESSION_IDLE_MINUTES = env.integer("ZHENGTONG_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

HTTPS = env.boolean("ZHENGTONG_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a reverse proxy that overwrites X-Forwarded-Proto and sets X-Forwarded-For: trust both
# (the client's address is the last X-Forwarded-For entry, the one the proxy wrote).
BEHIND_PROXY = env.boolean("ZHENGTONG_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.string("ZHENGTONG_TIME_ZONE", "Asia/Shanghai")
LANGUAGE_COOKIE_NAME = "zhengtong_language"
# The people import keeps its own catalogue, beside the directory app's.
LOCALE_PATHS = [
    PACKAGE_DIR / "core" / "overrides" / "locale",  # Django's own strings its zh_Hans catalogue lacks
]

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.directory("ZHENGTONG_STATIC_ROOT", DATA_DIR / "static")
NODE_MODULES = Path(env.string("ZHENGTONG_NODE_MODULES", str(PROJECT_DIR / "node_modules")))
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/bpmn-js", NODE_MODULES / "bpmn-js" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.directory("ZHENGTONG_MEDIA_DIR", DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- Cache and background work ----------------------------------------------------------------
REDIS_URL = env.string("ZHENGTONG_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "zhengtong_cache"}}

HUEY_IMMEDIATE = env.boolean("ZHENGTONG_HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "zhengtong", "url": REDIS_URL,
            "immediate": HUEY_IMMEDIATE}
else:
    HUEY = {"huey_class": "huey.SqliteHuey", "name": "zhengtong",
            "filename": str(DATA_DIR / "huey.sqlite3"), "immediate": HUEY_IMMEDIATE}
HUEY["utc"] = False  # periodic tasks (crontab) are in local time: 02:30 means 02:30 in TIME_ZONE
HUEY["consumer"] = {"workers": env.integer("ZHENGTONG_WORKER_THREADS", 2, minimum=1), "worker_type": "thread"}

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.string("ZHENGTONG_LOG_LEVEL", "INFO")},
    # These log every step (a render, a task state, a page saved) at INFO; the audit trail keeps what matters.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "spiff", "django_tasks",
                                                        "wagtail", "jieba")},
}

# --- Website (Wagtail) ------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env.string("ZHENGTONG_WEBSITE_NAME", "鹤山区人民政府")
WAGTAILADMIN_BASE_URL = env.string("ZHENGTONG_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# One sign-in: /cms/ sends people to the platform's sign-in page; accounts and passwords are the
# directory's, so Wagtail's own account, password and e-mail management is switched off.
WAGTAILADMIN_LOGIN_URL = "accounts:sign-in"
WAGTAIL_FRONTEND_LOGIN_URL = "accounts:sign-in"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False  # isolated network: no call-home
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # avatars from gravatar.com would leave the network
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea"}}
# Media rules (seed 003 第十七条): pictures jpg/png/gif/webp up to 10 MB, kept as JPEG 4:3 ≤ 500 × 375;
# attachments pdf/doc/docx/xls/xlsx/wps/txt up to 20 MB.
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "zhengtong.portal.forms.ImageForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "wps", "txt"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "zhengtong.portal.forms.DocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_FINDERS = []  # no oEmbed providers on an isolated network
# district: the seed-000 column tree; office: the seed-003 eight-column office website.
ZHENGTONG_WEBSITE_LAYOUT = env.string("ZHENGTONG_WEBSITE_LAYOUT", "district")
if ZHENGTONG_WEBSITE_LAYOUT not in ("district", "office"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ZHENGTONG_WEBSITE_LAYOUT must be 'district' or 'office'.")
MIDDLEWARE.append("zhengtong.portal.middleware.PortalMiddleware")

# --- Zhengtong ----------------------------------------------------------------------------------
ZHENGTONG_SITE_NAME = env.string("ZHENGTONG_SITE_NAME", "")
# Key of the audit trail's hash chain (HMAC-SHA256); kept apart from the database so a person who
# can write to the database cannot recompute the chain after altering a record.
AUDIT_KEY = env.secret_key("ZHENGTONG_AUDIT_KEY", DATA_DIR, filename="audit_key")

# --- Electronic seals (seals) -------------------------------------------------------------------
# The CA's private keys are kept encrypted with this passphrase (generated into the data dir on
# first run unless given); keep it apart from database backups in production.
SEAL_CA_PASSPHRASE = env.secret_key("ZHENGTONG_SEAL_CA_PASSPHRASE", DATA_DIR, filename="seal_ca_passphrase")
SEAL_KEY_DIR = env.directory("ZHENGTONG_SEAL_KEY_DIR", DATA_DIR / "seal_keys")
SEAL_CERT_YEARS = env.integer("ZHENGTONG_SEAL_CERT_YEARS", 3, minimum=1, maximum=20)
# A PKCS#11 module (USBKey/HSM driver, or SoftHSM2's libsofthsm2.so) for seals kept in tokens.
SEAL_PKCS11_MODULE = env.string("ZHENGTONG_SEAL_PKCS11_MODULE", "")
# An RFC 3161 time-stamp server on the government network; none by default.
SEAL_TSA_URL = env.string("ZHENGTONG_SEAL_TSA_URL", "")
SEAL_MAX_PIN_FAILURES = env.integer("ZHENGTONG_SEAL_MAX_PIN_FAILURES", 5, minimum=1)
# The address at which the platform is reached; used in certificates (CRL location) and QR codes.
PUBLIC_BASE_URL = env.string("ZHENGTONG_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Notifications: e-mail and SMS --------------------------------------------------------------
EMAIL_HOST = env.string("ZHENGTONG_SMTP_HOST", "")
EMAIL_PORT = env.integer("ZHENGTONG_SMTP_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env.string("ZHENGTONG_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env.string("ZHENGTONG_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("ZHENGTONG_SMTP_STARTTLS", False)
EMAIL_USE_SSL = env.boolean("ZHENGTONG_SMTP_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.string("ZHENGTONG_MAIL_FROM", "zhengtong@localhost")
# SMS gateway: "file" (writes each message to SMS_FILE_DIR; the default), "console", "http" or "gammu".
SMS_GATEWAY = env.string("ZHENGTONG_SMS_GATEWAY", "file")
if SMS_GATEWAY not in ("file", "console", "http", "gammu"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ZHENGTONG_SMS_GATEWAY must be file, console, http or gammu.")
SMS_FILE_DIR = env.directory("ZHENGTONG_SMS_FILE_DIR", DATA_DIR / "sms")
SMS_HTTP_URL = env.string("ZHENGTONG_SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = env.string("ZHENGTONG_SMS_HTTP_TOKEN", "")
# The Gammu SMSD database (its `outbox` table), e.g. postgres://smsd@127.0.0.1/smsd or sqlite:////var/lib/smsd.db
SMS_GAMMU_DATABASE_URL = env.string("ZHENGTONG_SMS_GAMMU_DATABASE_URL", "")
NOTIFY_MAX_ATTEMPTS = env.integer("ZHENGTONG_NOTIFY_MAX_ATTEMPTS", 5, minimum=1, maximum=20)
