"""Deployment checks of our own (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """E-mails carry links built on SITE_URL; the development default opens nothing elsewhere."""
    parts = urlsplit(settings.SITE_URL)
    if parts.hostname in LOCAL_HOSTS or parts.hostname is None:
        return [Warning(
            f"SITE_URL là {settings.SITE_URL!r}: đường dẫn trong e-mail sẽ không mở được từ máy khác.",
            hint="Đặt biến môi trường SITE_URL, ví dụ https://thidua.example.vn.",
            id="thidua.W001",
        )]
    if parts.scheme != "https":
        return [Warning(
            f"SITE_URL là {settings.SITE_URL!r}: đường dẫn trong e-mail nên dùng https.",
            id="thidua.W002",
        )]
    return []
