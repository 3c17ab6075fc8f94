"""Tests: fast hashing, in-memory mail, a throw-away media folder."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import require_secret_key

DEBUG = False
SECRET_KEY = require_secret_key(True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="thidua-media-")
# The signing keys of a test are the ones it makes (the demo's, or its own CA), never a
# developer's configured certificate.
SIGNING_PRIVATE_DIR = Path(MEDIA_ROOT) / "private" / "signing"  # noqa: F405
SIGNING_DIRECTOR_P12 = SIGNING_OFFICE_P12 = SIGNING_TRUST_ROOTS = SIGNING_TSA_URL = ""
SIGNING_DIRECTOR_P12_PASSWORD = SIGNING_OFFICE_P12_PASSWORD = ""
SIGNING_DIRECTOR_P12_PASSWORD_FILE = SIGNING_OFFICE_P12_PASSWORD_FILE = ""
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the threads of a concurrency test then share the database as
    # runserver's threads do (an in-memory database shared between connections locks whole
    # tables and ignores the busy timeout).
    DATABASES["default"]["TEST"] = {  # noqa: F405
        # Removed by the test runner at the end; one per process, so parallel runs do not meet.
        "NAME": os.path.join(tempfile.gettempdir(), f"thidua-test-{os.getpid()}.sqlite3"),
    }
