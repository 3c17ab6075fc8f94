"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def require_secret_key(debug: bool) -> str:
    """A development key is fine only while DEBUG is on; production must set its own."""
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if debug:
        return "django-insecure-development-only-key"
    raise ImproperlyConfigured("DJANGO_SECRET_KEY phải được đặt khi DEBUG tắt.")


DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "simple_history",
    "units",
    "campaign",
    "scoring",
    "awards",
    "dashboard",
    "ops",
    "perf",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # /phong-trao/<CODE>/… names the campaign served (campaign/scope.py). After the user and
    # the messages, which its «Không tìm thấy» page prints; CommonMiddleware adds a missing
    # slash on the way back, when the path it sees has the prefix taken off.
    "campaign.scope.CampaignPrefixMiddleware",
    "units.passwords.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling: offices sit behind one NAT, so lock the (username, IP) pair, never a whole
# office's IP address or a username from everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False
# How many reverse proxies stand in front (the README's nginx: 1; production's default). The
# client's address is then read from X-Forwarded-For (config/client_ip.py); with 0, REMOTE_ADDR.
TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", 0))
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

# Content-Security-Policy: only our own files; no inline script, no CDN (offices may be offline).
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
    },
}

ROOT_URLCONF = "config.urls"
# A stale form (expired session, page left open) explains itself in Vietnamese.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

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
                "units.context_processors.current_role",
                "units.context_processors.organisation",
                "campaign.context_processors.campaign_switcher",
                "dashboard.context_processors.waiting",
            ],
        },
    },
]

# No DATABASE_URL: a SQLite file next to the code, so a newcomer needs no server.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the SQL (psycopg 3's server-side binding) instead of being
    # quoted into it: a roll-up's 4 MB snapshot is then not escaped and re-parsed as a SQL
    # literal.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The no-server default still serves requests side by side (runserver's threads, a double
    # click): a transaction takes SQLite's write lock when it begins (IMMEDIATE), so two that
    # read then write queue up (up to `timeout` seconds) instead of one failing with "database
    # is locked", and the second reads what the first wrote (what select_for_update, a no-op
    # on SQLite, does on PostgreSQL). WAL lets pages read while a write is under way.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
# The only language offered: LocaleMiddleware would otherwise follow the browser's
# Accept-Language and show Django's admin in English to a browser set to English.
LANGUAGES = [("vi", "Tiếng Việt")]
# Django's own 'vi' catalogues lack some strings the admin and the auth pages print.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# Vietnamese for the few Django messages its own vi locale leaves in English.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

# Absolute: a relative one would be put under the script prefix, which names a campaign
# while a page of that campaign is served (campaign/scope.py).
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# Signed decisions (docs/signing.md). Keys never live in the repository: a PKCS#12 file per
# signer, its password in the environment or in a file only the app can read. Without the
# variables, <role>.p12 and <role>.password in SIGNING_PRIVATE_DIR are used when present
# (where load_demo puts the demo's throw-away certificates).
SIGNING_PRIVATE_DIR = Path(os.environ.get("SIGNING_PRIVATE_DIR", MEDIA_ROOT / "private" / "signing"))
SIGNING_DIRECTOR_P12 = os.environ.get("SIGNING_DIRECTOR_P12", "")
SIGNING_DIRECTOR_P12_PASSWORD = os.environ.get("SIGNING_DIRECTOR_P12_PASSWORD", "")
SIGNING_DIRECTOR_P12_PASSWORD_FILE = os.environ.get("SIGNING_DIRECTOR_P12_PASSWORD_FILE", "")
SIGNING_OFFICE_P12 = os.environ.get("SIGNING_OFFICE_P12", "")
SIGNING_OFFICE_P12_PASSWORD = os.environ.get("SIGNING_OFFICE_P12_PASSWORD", "")
SIGNING_OFFICE_P12_PASSWORD_FILE = os.environ.get("SIGNING_OFFICE_P12_PASSWORD_FILE", "")
# PEM/DER files of the roots a signature must chain to, separated by ":".
SIGNING_TRUST_ROOTS = os.environ.get("SIGNING_TRUST_ROOTS", "")
# RFC 3161 timestamp server: PAdES-B-T when set, B-B otherwise.
SIGNING_TSA_URL = os.environ.get("SIGNING_TSA_URL", "")
# The verification page reads an uploaded PDF whole; a decision is well under this.
VERIFY_MAX_UPLOAD_BYTES = int(os.environ.get("VERIFY_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# The SMTP server, when DJANGO_EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# Mail is sent after a step commits, in the request or the worker that made it: a mail server
# that stops answering must not hold either for ever.
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", 20))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "thidua@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# The cache: the provisional rankings of open months. Django's local-memory
# default is per process; with several gunicorn and Celery processes, point DJANGO_CACHE_URL
# at Redis (redis://127.0.0.1:6379/1) so they share it.
if os.environ.get("DJANGO_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["DJANGO_CACHE_URL"]}}

# Celery: no broker configured means tasks run in-process (eager), so nothing else is needed.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Eager tasks behave as on a worker: retries happen (at once) and a failure is recorded by
# the task (e.g. on its RollupRun) and logged, instead of being raised into the caller
# before the task's retry/failure handlers run (Celery skips them when propagating).
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# With acks_late, a worker killed mid-task puts the message back instead of losing it; the
# roll-up is idempotent (one current snapshot per period), so running it again is safe.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat: crontab() defaults minute and hour to "every", so both are always spelled out here,
# and read in CELERY_TIMEZONE (Vietnam time). The roll-up tick does not fire "at 07:00": it
# looks every 5 minutes for periods whose stored due time (Period.rollup_due_at, editable in
# the admin) has passed and that were never rolled up, so a tick missed while beat or Redis
# was down is caught up at the next one.
CELERY_BEAT_SCHEDULE = {
    "rollup-due-periods": {
        "task": "scoring.tasks.rollup_due_periods",
        "schedule": crontab(minute="*/5", hour="*"),
    },
    "remind-unsubmitted-reports": {
        "task": "campaign.tasks.remind_unsubmitted_reports",
        "schedule": crontab(minute="0", hour="8"),
    },
}
# After the schedule queued a run that has not finished, or a run failed, it leaves that
# period alone for this long; an unfinished run older than this is marked failed (lost).
ROLLUP_SCHEDULE_WAIT_MINUTES = int(os.environ.get("ROLLUP_SCHEDULE_WAIT_MINUTES", 30))
# Unit staff whose report is not submitted are e-mailed from this many days before the period
# closes (its roll-up due date) until the day before, once per unit and period.
REMINDER_DAYS_BEFORE_END = int(os.environ.get("REMINDER_DAYS_BEFORE_END", 3))

# Plausibility warnings on reported figures (rules/plausibility.py, docs/rules.md P2, P3): a rate
# above this percent of the target, or a figure more than this many times the unit's own of the
# month before, is flagged for a check. Warnings only: nothing is refused for them.
PLAUSIBILITY_MAX_RATE_PERCENT = Decimal(os.environ.get("PLAUSIBILITY_MAX_RATE_PERCENT", "200"))
PLAUSIBILITY_MAX_JUMP = Decimal(os.environ.get("PLAUSIBILITY_MAX_JUMP", "3"))
if not (PLAUSIBILITY_MAX_RATE_PERCENT > 0 and PLAUSIBILITY_MAX_JUMP > 1):
    # A bound of 0 % or a factor of 1 would flag every ordinary month.
    raise ImproperlyConfigured(
        "PLAUSIBILITY_MAX_RATE_PERCENT phải lớn hơn 0 và PLAUSIBILITY_MAX_JUMP phải lớn hơn 1.")

# The public board (a lobby screen) asks the server for fresh standings this often.
BOARD_REFRESH_SECONDS = int(os.environ.get("BOARD_REFRESH_SECONDS", 60))

# Excel uploads: hostile files are refused before parsing.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 5_000))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024))
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", 100))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_answers": {"()": "config.logging.NoTracebackForExpectedAnswers"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Through the root's handler only: Django's own console handler (with DEBUG on) wrote
        # every line twice.
        "django": {"handlers": [], "propagate": True},
        "django.request": {"filters": ["expected_answers"]},
    },
}
