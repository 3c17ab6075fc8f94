from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = "Khen thưởng"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the roll-up signals)
