"""Production: DEBUG off, a real SECRET_KEY, PostgreSQL from DATABASE_URL, Redis for Celery,
served over HTTPS behind a proxy (nginx) that sets X-Forwarded-Proto."""

import os

from .base import *  # noqa: F403
from .base import env_bool, require_secret_key

DEBUG = False
SECRET_KEY = require_secret_key(DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# HTTPS only. The switches exist for a loopback load test or an intranet without TLS; every
# one of them defaults to the safe value, so `manage.py check --deploy` is clean.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 31_536_000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_HTTPONLY = True
# Behind the nginx above (it must append the client's address to X-Forwarded-For); set 0 when
# Django is reached directly, or the header, then the client's own words, would be believed.
TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", 1))
X_FRAME_OPTIONS = "DENY"
