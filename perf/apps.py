from django.apps import AppConfig


class PerfConfig(AppConfig):
    """Measurements of the whole house (`manage.py bench`, `bin/loadtest`): no models; an app
    only so that its command is found. It sits above every other app, which it measures."""

    name = "perf"
    verbose_name = "Đo hiệu năng"
