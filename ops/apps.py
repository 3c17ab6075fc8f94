from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations over the whole house: the backup and restore of every app's rows and kept
    files (`manage.py backup`, `manage.py restore`). No models; it sits above every app whose
    data it carries."""

    name = "ops"
    verbose_name = "Vận hành"
