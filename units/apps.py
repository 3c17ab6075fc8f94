from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = "Đơn vị và người dùng"

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the deployment checks)
            passwords,  # noqa: F401  (connects the login receiver)
        )
