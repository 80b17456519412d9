"""Settings for RP Archive, read from the environment.

Every setting a deployment may change comes from an environment variable, parsed by the
small helpers below, which fail loudly on values they cannot read. The defaults are safe
for a laptop: SQLite, console e-mail, DEBUG on, and a development secret key that the
site refuses to run with once DEBUG is off.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=""):
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY") or DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the development key. Set SECRET_KEY to a long random "
        'value, for example: python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DEBUG is off but ALLOWED_HOSTS is empty, so every request would be refused. "
        "Set ALLOWED_HOSTS to the site's host names, comma-separated."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "threads.apps.ArchiveAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "taggit",
    # Hardening: staff two-factor (TOTP) and the Content-Security-Policy header.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # Discovery: full-text search on PostgreSQL, and sitemap.xml.
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "threads",
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id.
    "threads.lib.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body (sessions do not; RefuseNul and CSRF do).
    "threads.lib.upload_cap.UploadCapMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "threads.lib.nul.RefuseNulMiddleware",
]

ROOT_URLCONF = "rp_archive.urls"
WSGI_APPLICATION = "rp_archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "threads.views.context.turns_waiting",
            ],
        },
    },
]


def database_from_url(url):
    try:
        return dj_database_url.parse(
            url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL ({error}). "
            "Examples: sqlite:///db.sqlite3, postgres://user:password@host:5432/name"
        ) from None


DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Many short queries: PostgreSQL's JIT compiler spent longer compiling a search or list
    # query over 10,000 stories (80 ms) than running it (40 ms), and starting parallel
    # workers took 8 ms of a 31 ms search that needed none (every request is already one
    # of many running at once). Both off, unless the URL's options say otherwise.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c max_parallel_workers_per_gather=0"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (issue 13) -------------------------------------------------------------------
# CACHE_URL (or REDIS_URL): redis://host:6379/0 (or rediss://) is Django's own RedisCache
# (keeping its client, threads/lib/cache.py),
# shared by every app server: the anonymous page cache, rate limits, the health check.
# Unset or locmem:// keeps it in this process's memory (a laptop); dummy:// keeps nothing.
CACHE_BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
    "redis": "threads.lib.cache.RedisCache",
    "rediss": "threads.lib.cache.RedisCache",
}


def cache_from_env():
    name = "CACHE_URL" if env_str("CACHE_URL") else "REDIS_URL"
    url = env_str(name).strip() or "locmem://"
    scheme, _, rest = url.partition("://")
    backend = CACHE_BACKENDS.get(scheme.lower()) if rest or scheme in {"locmem", "dummy"} else None
    if backend is None or (backend.endswith("RedisCache") and not rest.split("/")[0]):
        raise ImproperlyConfigured(
            f"{name} must be redis://host:port/db, rediss://..., locmem:// or dummy://, "
            f"not {url!r}."
        )
    location = url if backend.endswith("RedisCache") else rest
    return {"BACKEND": backend, "LOCATION": location}


CACHES = {
    "default": cache_from_env(),
    # Each process keeps its most read pages in memory in front of the shared cache
    # (threads/views/pagecache.py): a page's key names its generation, so a copy is never
    # stale and needs no invalidation. RP_PAGE_CACHE_LOCAL_ENTRIES pages of at most 256 KB
    # each (the oldest go first); 0 keeps none.
    "pages_local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
        if env_int("RP_PAGE_CACHE_LOCAL_ENTRIES", 200)
        else "django.core.cache.backends.dummy.DummyCache",
        "LOCATION": "pages-local",
        "TIMEOUT": 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": env_int("RP_PAGE_CACHE_LOCAL_ENTRIES", 200)},
    },
}
# --- end of cache -----------------------------------------------------------------------

AUTH_USER_MODEL = "threads.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Portraits are user uploads; in production a web server in front usually serves them.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

# A request body (form fields, not files) over this is refused with a 400: a post is at most
# 100,000 characters (400 kB of UTF-8), so 6 MB is generous. Whole requests, files included,
# are capped before they are read by RP_MAX_UPLOAD_BYTES (the hardening block below).
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# Uploads up to this size stay in memory; larger ones are spooled to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not env_str("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "RP Archive <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Task queue (issue 13) ----------------------------------------------------------------
# E-mails, digests, turn deadlines and large imports run as django-tasks tasks (threads/tasks.py,
# threads/lib/emails.py). TASKS_BACKEND says where: "immediate" runs each task at once in the
# process that enqueues it (the default with DEBUG on, so `make run` needs no worker);
# "database" keeps it in a table for `manage.py db_worker` (the default otherwise); "rq" hands
# it to Redis (REDIS_URL) for `manage.py rqworker` once django-tasks-rq is installed; "dummy"
# keeps it in memory and runs nothing (tests that look at what was enqueued).
TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND") or ("immediate" if DEBUG else "database")
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
# The database backend's app is always installed: its admin lists failed tasks, and its
# table exists whichever backend runs, so switching needs no migration.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0")}}
# --- end of task queue ------------------------------------------------------------------

# Pre-moderation: when on, posts by writers who are not trusted wait for a moderator.
# A small group that trusts everyone can turn it off.
RP_PREMODERATION = env_bool("RP_PREMODERATION", True)
# The longest post body a writer may submit, in characters.
RP_MAX_POST_LENGTH = env_int("RP_MAX_POST_LENGTH", 100_000)
if RP_MAX_POST_LENGTH < 1:
    raise ImproperlyConfigured("RP_MAX_POST_LENGTH must be at least 1 character.")

# --- Hardening (issue 13) ---------------------------------------------------------------
# `manage.py check --deploy` is clean once DEBUG is off and the SECURE_* variables below are
# on (tests/test_hardening_settings.py proves it). HSTS and the SSL redirect stay opt-in:
# both break a site that is not yet served over HTTPS, and HSTS cannot be taken back.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL", False):
    # Only behind a proxy that sets this header itself (nginx: proxy_set_header
    # X-Forwarded-Proto $scheme); otherwise a client could claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# A load balancer's plain-HTTP probe must reach /healthz, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("SECURE_HSTS_SECONDS must be 0 (off) or more seconds.")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# Content-Security-Policy (django-csp): no inline script or style anywhere, so markup a
# post's sanitizer ever let through could still not run. Exports and portraits are data:
# images; the admin uses the same policy (Django 5.2's admin needs no inline script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
# A media host of its own (object storage) must be allowed to serve the portraits.
if MEDIA_URL.startswith(("http://", "https://")):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(MEDIA_URL)

# Request bodies: a request whose Content-Length passes the cap is refused with a 413 page
# before anything reads it (threads/lib/upload_cap.py); imports may be larger.
RP_MAX_UPLOAD_BYTES = env_int("RP_MAX_UPLOAD_BYTES", 8 * 1024 * 1024)
if RP_MAX_UPLOAD_BYTES < 1024 * 1024:
    raise ImproperlyConfigured("RP_MAX_UPLOAD_BYTES must be at least 1048576 (1 MB).")
RP_IMPORT_MAX_BYTES = env_int("RP_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
if RP_IMPORT_MAX_BYTES < 1024:
    raise ImproperlyConfigured("RP_IMPORT_MAX_BYTES must be at least 1024 bytes.")

# Staff two-factor authentication: when on, the admin wants a verified TOTP device.
RP_ADMIN_REQUIRE_2FA = env_bool("RP_ADMIN_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "RP Archive")

# Logs: stdout, one line per event, each with the id of the request it belongs to.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "threads.lib.request_id.RequestIdFilter"}},
    "formatters": {
        "one_line": {
            "()": "threads.lib.request_id.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "one_line",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own messages reach the root handler alone, not also Django's default
    # stderr handler (which prints them a second time, without the request id).
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}

# Error tracking, off unless SENTRY_DSN is set; the SDK is imported only then.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from threads.lib.error_tracking import start_sentry

    start_sentry(SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))
# --- end of hardening -------------------------------------------------------------------


# --- Abuse: rate limits and registration (issue 13) -------------------------------------
# Every limit, in one place: "count/period" (s, m, h, d; "15m" is fifteen minutes), each
# overridable by its own variable (RP_RATE_POST=60/10m). They are counted in the shared
# cache (RATELIMIT_CACHE, an alias of CACHES), so they hold across processes and servers;
# threads/lib/ratelimit.py applies them.
def env_rate(name, default):
    value = env_str(name, default).strip()
    if not re.fullmatch(r"[1-9][0-9]*/([1-9][0-9]*)?[smhd]", value):
        raise ImproperlyConfigured(f"{name} must be a rate like 10/m or 5/15m, not {value!r}.")
    return value


RP_RATE_LIMITS = {
    # Per client address: accounts asked for, password-reset e-mails asked for.
    "signup": env_rate("RP_RATE_SIGNUP", "10/h"),
    "password_reset": env_rate("RP_RATE_PASSWORD_RESET", "5/h"),
    # Failed logins, per account name typed and per client address.
    "login_account": env_rate("RP_RATE_LOGIN_ACCOUNT", "10/15m"),
    "login_address": env_rate("RP_RATE_LOGIN_ADDRESS", "50/15m"),
    # Per writer (or, signed out, per address).
    "post": env_rate("RP_RATE_POST", "30/5m"),
    "preview": env_rate("RP_RATE_PREVIEW", "60/m"),
    "comment": env_rate("RP_RATE_COMMENT", "10/10m"),
    "report": env_rate("RP_RATE_REPORT", "10/h"),
    "kudos": env_rate("RP_RATE_KUDOS", "60/h"),
    "import": env_rate("RP_RATE_IMPORT", "10/h"),
    "reading_position": env_rate("RP_RATE_READING_POSITION", "30/m"),
}
RATELIMIT_USE_CACHE = env_str("RATELIMIT_CACHE", "default")
# Behind a proxy every request comes from the proxy: name the header it sets with the
# client's address (nginx: proxy_set_header X-Real-IP $remote_addr; then HTTP_X_REAL_IP).
# Only behind a proxy that always sets it, or a client could pick its own address.
if env_str("RP_CLIENT_IP_HEADER"):
    RATELIMIT_IP_META_KEY = env_str("RP_CLIENT_IP_HEADER")

# Who may create an account: "open", "closed" (a page says so), or "invite" (a code from
# `manage.py make_invite ADDRESS`, signed for that address, valid RP_INVITE_DAYS days).
RP_REGISTRATION = env_str("RP_REGISTRATION", "open").strip().lower()
if RP_REGISTRATION not in {"open", "closed", "invite"}:
    raise ImproperlyConfigured(
        f"RP_REGISTRATION must be open, closed or invite, not {RP_REGISTRATION!r}."
    )
RP_INVITE_DAYS = env_int("RP_INVITE_DAYS", 14)
if RP_INVITE_DAYS < 1:
    raise ImproperlyConfigured("RP_INVITE_DAYS must be at least 1 day.")
# --- end of abuse -----------------------------------------------------------------------
