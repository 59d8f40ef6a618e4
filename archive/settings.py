"""Settings for the archive, read from the environment.

Embedded defaults (SQLite and a Whoosh index under ARCHIVE_DATA_DIR) serve a newcomer with
no set-up; DATABASE_URL and SEARCH_URL switch to PostgreSQL and Elasticsearch or Solr.
"""

from pathlib import Path

import environ
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DATA_DIR = Path(env.str("ARCHIVE_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _local_secret_key() -> str:
    """A key generated once into the data folder, so a newcomer needs no set-up."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or _local_secret_key()
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "haystack",
    "axes",
    "csp",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'archive.sqlite3'}")
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while an ingest writes; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Brute-force protection for the admin login: lock a user+address after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Search: Whoosh under the data folder by default; SEARCH_URL (elasticsearch7://host:9200/index,
# solr://host:8983/solr/collection, as `make solr` prints) moves the index elsewhere with no code
# change.
SEARCH_URL = env.str("SEARCH_URL", default=f"whoosh://{DATA_DIR / 'whoosh_index'}")
HAYSTACK_CONNECTIONS = {"default": environ.Env.search_url_config(SEARCH_URL)}
# Each stock engine django-environ names is replaced by the archive's own subclass of it.
ARCHIVE_ENGINES = {
    "haystack.backends.whoosh_backend.WhooshEngine": (
        "articles.search.whoosh.backend.ArchiveWhooshEngine"
    ),
    "haystack.backends.solr_backend.SolrEngine": "articles.search.solr.backend.ArchiveSolrEngine",
}
HAYSTACK_CONNECTIONS["default"]["ENGINE"] = ARCHIVE_ENGINES.get(
    HAYSTACK_CONNECTIONS["default"]["ENGINE"], HAYSTACK_CONNECTIONS["default"]["ENGINE"]
)
HAYSTACK_SIGNAL_PROCESSOR = "articles.search.queue.OnCommitSignalProcessor"
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 20
# Seconds one search may run before it is stopped with a page that says so.
SEARCH_TIME_BUDGET = env.float("ARCHIVE_SEARCH_SECONDS", default=5.0)
# Searches one server process runs at once; the others wait their turn (search/limits.py).
SEARCH_CONCURRENCY = env.int("ARCHIVE_SEARCH_CONCURRENCY", default=2)
# One model is indexed: restricting every query to it would only cost a second search.
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False

# Ingest refuses captures over this size, with a clear message.
ARCHIVE_MAX_CAPTURE_BYTES = env.int("ARCHIVE_MAX_CAPTURE_BYTES", default=5_000_000)
ARCHIVE_INGEST_WORKERS = env.int("ARCHIVE_INGEST_WORKERS", default=0)  # 0: one per core
# Processes a full index rebuild writes with (0: one per core).
ARCHIVE_INDEX_WORKERS = env.int("ARCHIVE_INDEX_WORKERS", default=0)
ARCHIVE_SITE_NAME = env.str("ARCHIVE_SITE_NAME", default="Talks Archive")
# Exports and search feeds (export_limits.py): each reader's at once is one; a minute's,
# this many; a server process streams this many exports at once.
ARCHIVE_EXPORTS_PER_MINUTE = env.int("ARCHIVE_EXPORTS_PER_MINUTE", default=4)
ARCHIVE_EXPORT_CONCURRENCY = env.int("ARCHIVE_EXPORT_CONCURRENCY", default=1)
# The default cache lives in each server process; a shared one (redis://, memcache://)
# makes the export limits count across processes and machines.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Security headers. HTTPS-only settings follow DJANGO_HTTPS so a local http run still works.
HTTPS = env.bool("DJANGO_HTTPS", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("DJANGO_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
