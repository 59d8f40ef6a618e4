"""Settings for Haystack's own Whoosh backend tests (django-haystack 3.4.0's
`test_haystack/whoosh_tests`, vendored here) run against the archive's engine.

They are Haystack's test settings pared to what those tests use, with one change: the
`whoosh` connection's ENGINE is the archive's. The tests need their own app (`core`, with
Haystack's mock models) and a mock default connection, so they run under these settings,
apart from the archive's own tests (the Makefile's `test` target runs both).
"""

import os
from tempfile import mkdtemp

SECRET_KEY = "haystack-contract-tests"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = False  # as Haystack's own test settings (Django's default before 5.0)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "haystack",
    "tests.haystack_contract.discovery",
    "tests.haystack_contract.core",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
ROOT_URLCONF = "tests.haystack_contract.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# HAYSTACK_CONTRACT_ENGINE=haystack.backends.whoosh_backend.WhooshEngine runs them on the stock one.
ARCHIVE_ENGINE = os.environ.get(
    "HAYSTACK_CONTRACT_ENGINE", "articles.search.whoosh.backend.ArchiveWhooshEngine"
)
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "tests.haystack_contract.mocks.MockEngine"},
    "whoosh": {
        "ENGINE": ARCHIVE_ENGINE,
        "PATH": mkdtemp(prefix="haystack-contract-whoosh-"),
        "INCLUDE_SPELLING": True,
    },
}
# What the archive's engine reads beside its connection (archive/settings.py's defaults).
SEARCH_TIME_BUDGET = 5.0
SEARCH_CONCURRENCY = 2
ARCHIVE_INDEX_WORKERS = 1
