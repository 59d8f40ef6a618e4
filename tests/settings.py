"""Test settings: the real settings, with a throwaway data folder and a fast hasher."""

import os
import tempfile

os.environ.setdefault("ARCHIVE_DATA_DIR", tempfile.mkdtemp(prefix="archive-test-"))

from archive.settings import *  # noqa: E402,F403
from archive.settings import DATA_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "articles.search.whoosh.backend.ArchiveWhooshEngine",
        "PATH": str(DATA_DIR / "whoosh_index"),
    }
}
# Axes needs a request on every authenticate(); tests that check lockouts turn it back on.
AXES_ENABLED = False
(DATA_DIR / "static").mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
# Each test starts from an empty cache: nothing remembered from another test's articles.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
