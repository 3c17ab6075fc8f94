"""Development: the embedded default (SQLite, eager Celery) unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env_bool, require_secret_key

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = require_secret_key(DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo runs with DEBUG off (bin/run-demo) and no collectstatic: WhiteNoise serves the static
# files straight from the apps' and the project's folders.
WHITENOISE_USE_FINDERS = True
