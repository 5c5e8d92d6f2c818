"""factcheck settings: one file, every deployment choice read from the environment.

See README.md ("Configuration") for the variables. Defaults are for a developer's
machine; production must set SECRET_KEY and ALLOWED_HOSTS. Only the process environment is
read here: manage.py and the WSGI/ASGI entry points add the checkout's `.env` to it first
(factcheck.env.load_env_file), and the test settings leave it out.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from factcheck.env import (
    env_bool,
    env_choice,
    env_database,
    env_email,
    env_int,
    env_list,
    env_rate,
    env_str,
    env_time_zone,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off; for development, `make setup` writes "
            "a .env with DEBUG=1 and a generated key."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entry {_origin!r} must start with http:// or https://."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Only for its sitemap.xml template: the public record's sitemap (annotations.sitemaps).
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    # Background work (django.tasks, backported): the framework and its database backend.
    "django_tasks",
    "django_tasks_db",
    "annotations",
]

MIDDLEWARE = [
    "factcheck.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the pages from the browser's Accept-Language (a user's own choice wins,
    # in ReaderPreferencesMiddleware below).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user is known: their chosen language and time zone, else their browser's.
    "factcheck.middleware.ReaderPreferencesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "factcheck.middleware.QueryStringNulMiddleware",
    "factcheck.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lockout into the 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

# A checkout keeps the templates at its top level; an installed copy has them inside this
# package (pyproject.toml maps templates/ to factcheck/templates/ in the wheel).
_TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
if not _TEMPLATES_DIR.is_dir():
    _TEMPLATES_DIR = BASE_DIR / "templates"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [_TEMPLATES_DIR],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The unread notices and returned claims in the navigation, read lazily.
                "annotations.context_processors.desk",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'factcheck.sqlite3'}")}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock at BEGIN, which serialises
    # concurrent writers (the review queue relies on it); WAL lets readers go on meanwhile.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    _db["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
    # A connection that died (database restarted) is replaced at the next request.
    _db["CONN_HEALTH_CHECKS"] = True
    _db.setdefault("OPTIONS", {})["connect_timeout"] = 5
    # Parameters sent apart from the statement (server-side binding), so that psycopg can
    # prepare a statement it has run 5 times on this connection: PostgreSQL then plans it
    # once per connection, not on every request. A pooler in transaction mode must keep
    # prepared statements (PgBouncer 1.22 or later with max_prepared_statements set);
    # otherwise set DB_PREPARED_STATEMENTS=0.
    if env_bool("DB_PREPARED_STATEMENTS", default=True):
        _db["OPTIONS"]["server_side_binding"] = True
        _db["OPTIONS"]["prepare_threshold"] = 5
    # PostgreSQL runs a large scan (the claims list's count) as a parallel query, starting
    # worker processes for it; among concurrent requests on a small machine that costs more
    # than it gains. So the app's sessions turn it off, unless DB_PARALLEL_QUERY is on:
    # behind a pooler that refuses startup options, set it on and turn parallel query off
    # for the app's role on the server instead (docs/deployment.md).
    if not env_bool("DB_PARALLEL_QUERY", default=False):
        given = _db["OPTIONS"].get("options", "")
        _db["OPTIONS"]["options"] = f"{given} -c max_parallel_workers_per_gather=0".strip()
    _db["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and refuses further attempts once an account or a client is locked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The languages the desk's pages are translated into (factcheck/locale/).
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
# The zone of the desk's pages for a reader who has chosen none and whose browser has not
# said (factcheck.middleware.ReaderPreferencesMiddleware); times are stored in UTC.
TIME_ZONE = env_time_zone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "factcheck.storage.StaticStorage"
        )
    },
}
# Without collectstatic (development, tests) whitenoise serves from the app folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# --- Security -------------------------------------------------------------------------------
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy, enforced (not report-only): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Abuse ----------------------------------------------------------------------------------
# How many proxies of ours stand in front of the app, each appending to X-Forwarded-For.
# 0: the socket's address is the client. Anything more than we trust is spoofable.
FACTCHECK_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# Lock an account after too many failures from anywhere, and a client after too many
# failures on any accounts.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "factcheck.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# A 429 with Retry-After, in the API's error shape under /api/.
AXES_LOCKOUT_CALLABLE = "factcheck.lockout.locked_out"
# Requests larger than this are refused with 413 (an article import may be 5 MB of text).
FACTCHECK_MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 6 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = FACTCHECK_MAX_REQUEST_BYTES
# Throttle counters live in the cache: with several app processes, point REDIS_URL at a shared
# Redis so that the limits hold across processes.
_redis_url = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate challenge makes "not signed in" a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["annotations.api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "annotations.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "annotations.api.schema.ErrorDocumentingSchema",
    "EXCEPTION_HANDLER": "annotations.api.exceptions.api_exception_handler",
    # JSON only: the API never takes form posts, so one parser means one set of rules.
    "DEFAULT_PARSER_CLASSES": ["annotations.api.parsers.StrictJSONParser"],
    # JSON only, whatever the client accepts: answers and errors have one shape.
    "DEFAULT_RENDERER_CLASSES": ["annotations.api.renderers.FastJSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "annotations.api.renderers.JSONOnlyNegotiation",
    "DEFAULT_THROTTLE_CLASSES": ["annotations.api.throttling.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"writes": env_rate("API_WRITE_RATE", "120/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": "Articles, claims, their review and their export.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Separate components for what a client sends and what it gets back.
    "COMPONENT_SPLIT_REQUEST": True,
    # Claim status, and the from/to states of its history, are one enumeration.
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "annotations.workflow.Status",
        # Fields named "kind": a source's, an article revision's, a claimant's, a notice's.
        "SourceKindEnum": "annotations.models.claims.SourceKind",
        "RevisionKindEnum": "annotations.models.revisions.RevisionKind",
        "ClaimantKindEnum": "annotations.models.claimants.ClaimantKind",
        "NotificationKindEnum": "annotations.models.notifications.NotificationKind",
    },
}

# --- Background tasks -----------------------------------------------------------------------
# Work that must not hold up a request (matching an imported article against the published
# claims, notification e-mails) is a task (django_tasks.task). The database backend keeps
# the queue in the app's own database, in the transaction that enqueues it, and `manage.py
# db_worker` runs it: `make run` starts one beside the server; production runs one or more per
# host (README, "Background tasks"). `immediate` runs each task inside the request that
# enqueues it, for a desk that runs no worker at all.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[env_choice("TASK_BACKEND", "database", tuple(_TASK_BACKENDS))],
        "QUEUES": ["default"],
    }
}

# --- factcheck ------------------------------------------------------------------------------
# How long a reviewer keeps a claim taken with "Review next" before it returns to the queue.
FACTCHECK_REVIEW_LEASE_MINUTES = env_int("REVIEW_LEASE_MINUTES", 30, minimum=1)
# The organisation that publishes the fact-checks (ClaimReview author); empty, the desk's
# own address (annotations.export.links.publisher_url).
FACTCHECK_PUBLISHER_NAME = env_str("PUBLISHER_NAME", "factcheck desk")
FACTCHECK_PUBLISHER_URL = env_url("PUBLISHER_URL")
# Absolute base for links (public claim pages, exports); empty, the address each request came
# to, or for a command the address of `make run` (annotations.export.links.base_url).
FACTCHECK_PUBLIC_BASE_URL = env_url("PUBLIC_BASE_URL").rstrip("/")
FACTCHECK_MAX_IMPORT_BYTES = 5 * 1024 * 1024
# Importing from a URL (annotations.fetching) refuses loopback, private, link-local and other
# non-public addresses; hosts named here (as written in the URL, without the port) are
# exempt, for a desk that imports from its own intranet.
FACTCHECK_FETCH_ALLOWED_HOSTS = env_list("FETCH_ALLOWED_HOSTS", [])
for _host in FACTCHECK_FETCH_ALLOWED_HOSTS:
    # A URL or host:port would never equal a host and so would silently allow nothing.
    if "/" in _host or "]:" in _host or _host.count(":") == 1:
        raise ImproperlyConfigured(
            f"FETCH_ALLOWED_HOSTS entry {_host!r} must be a host name or address alone, such as "
            "intranet.example.org, without scheme, port or path."
        )
# Seconds a fetch may take in all, redirects included.
FACTCHECK_FETCH_TIMEOUT: float = 15

# --- E-mail ---------------------------------------------------------------------------------
# With EMAIL_HOST set, mail goes out over SMTP; without it, each message is written to the
# console (development), so that nothing is silently lost.
EMAIL_HOST = env_str("EMAIL_HOST").strip()
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
# Implicit TLS (EMAIL_USE_SSL, port 465) or STARTTLS (EMAIL_USE_TLS, port 587, the default).
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=not EMAIL_USE_SSL)
EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587, minimum=1)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS and EMAIL_USE_SSL are both on: use EMAIL_USE_SSL=1 alone for "
        "implicit TLS (port 465), or EMAIL_USE_TLS=1 alone for STARTTLS (port 587)."
    )
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_email("DEFAULT_FROM_EMAIL", "factcheck@localhost")
EMAIL_SUBJECT_PREFIX = "[factcheck] "

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    },
}
