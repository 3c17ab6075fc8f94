import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _settings_in_subprocess(module: str, env: dict, expr: str) -> subprocess.CompletedProcess:
    # A fresh interpreter: settings modules read the environment once, at import.
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='{module}'; django.setup(); from django.conf import settings; print({expr})"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean | env,
                          capture_output=True, text=True, timeout=60)


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


def test_no_environment_means_sqlite_and_eager_tasks():
    result = _settings_in_subprocess(
        "config.settings.local", {},
        "settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER",
    )
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout and "True" in result.stdout


def test_database_url_switches_to_postgresql_and_broker_disables_eager():
    result = _settings_in_subprocess(
        "config.settings.local",
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"},
        "settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER",
    )
    assert result.returncode == 0, result.stderr
    assert "postgresql" in result.stdout and "False" in result.stdout


def test_postgresql_binds_parameters_on_the_server_and_sqlite_has_no_such_option():
    # A roll-up's 4 MB snapshot goes as a parameter, not quoted into the SQL.
    expr = "settings.DATABASES['default'].get('OPTIONS', {}).get('server_side_binding')"
    postgres = _settings_in_subprocess(
        "config.settings.local", {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"}, expr)
    sqlite = _settings_in_subprocess("config.settings.local", {}, expr)
    assert postgres.returncode == 0 and sqlite.returncode == 0, postgres.stderr + sqlite.stderr
    assert postgres.stdout.strip() == "True" and sqlite.stdout.strip() == "None"


def test_production_refuses_to_start_without_secret_key():
    result = _settings_in_subprocess("config.settings.production", {}, "settings.SECRET_KEY")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_uses_the_given_secret_key():
    result = _settings_in_subprocess(
        "config.settings.production", {"DJANGO_SECRET_KEY": "s3cret-from-env"}, "settings.SECRET_KEY"
    )
    assert result.returncode == 0, result.stderr
    assert "s3cret-from-env" in result.stdout


@pytest.mark.parametrize("module", ["config.settings.local", "config.settings.test"])
def test_each_settings_module_loads_on_its_own(module):
    # In a fresh interpreter: this process has already imported the test settings.
    result = _settings_in_subprocess(module, {"DJANGO_SECRET_KEY": "x"}, "settings.DATABASES['default']['ENGINE']")
    assert result.returncode == 0, result.stderr
    assert "django.db.backends." in result.stdout


def test_the_smtp_server_comes_from_the_environment():
    result = _settings_in_subprocess(
        "config.settings.local",
        {"DJANGO_EMAIL_HOST": "mail.bhxh.vn", "DJANGO_EMAIL_PORT": "587",
         "DJANGO_EMAIL_HOST_USER": "thidua", "DJANGO_EMAIL_USE_TLS": "1"},
        "settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER, settings.EMAIL_USE_TLS",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "mail.bhxh.vn 587 thidua True"


def test_a_shared_cache_comes_from_the_environment():
    result = _settings_in_subprocess(
        "config.settings.local", {"DJANGO_CACHE_URL": "redis://127.0.0.1:6379/1"},
        "settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION']",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/1"]


def test_the_demo_runs_with_debug_off_so_users_see_the_apps_own_error_pages():
    """bin/run-demo turns DEBUG off unless a developer asks (DJANGO_DEBUG=1), and the local
    settings then still serve the static files (WhiteNoise from the finders)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert 'export DJANGO_DEBUG="${DJANGO_DEBUG:-0}"' in (root / "bin" / "run-demo").read_text()
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_DEBUG": "0",
                        "DJANGO_SECRET_KEY": "x" * 50}
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
         "print(settings.DEBUG, settings.WHITENOISE_USE_FINDERS)"],
        cwd=root, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert out == ["False", "True"]


def test_plausibility_bounds_come_from_the_environment_and_nonsense_is_refused_at_start():
    good = _settings_in_subprocess(
        "config.settings.local",
        {"PLAUSIBILITY_MAX_RATE_PERCENT": "250", "PLAUSIBILITY_MAX_JUMP": "2.5"},
        "settings.PLAUSIBILITY_MAX_RATE_PERCENT, settings.PLAUSIBILITY_MAX_JUMP",
    )
    assert good.returncode == 0, good.stderr
    assert good.stdout.split() == ["250", "2.5"]
    bad = _settings_in_subprocess("config.settings.local", {"PLAUSIBILITY_MAX_JUMP": "1"}, "1")
    assert bad.returncode != 0 and "PLAUSIBILITY_MAX_JUMP phải lớn hơn 1" in bad.stderr
