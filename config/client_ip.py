"""The address a request came from, for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind a reverse proxy every request reaches Django from the proxy's own address, so locking
(username, REMOTE_ADDR) would lock a username from everywhere: anyone could keep the director
out with five wrong passwords. Each proxy appends the address it saw to X-Forwarded-For, so
with TRUSTED_PROXIES proxies in front, the entry that many places from the right is the one the
outermost proxy saw. Entries further left came from the client and are not trusted.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
