import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

# 32 random bytes: 256 bits, written as 43 URL-safe base64 characters.
TOKEN_BYTES = 32
TOKEN_REGEX = r"[A-Za-z0-9_-]{43}"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the database keeps of a token. A plain SHA-256 is enough: the token is 256 random
    bits, so there is nothing for a slow hash to protect against guessing, and a lookup by
    the hash stays one indexed query."""
    return hashlib.sha256(token.encode()).hexdigest()


class BoardLink(models.Model):
    """A secret address at which a lobby screen shows the public board without logging in.

    Only the token's hash is stored: the address is shown once, when the link is made, and
    cannot be read back from the database, a backup or the admin. A revoked link stays as a
    record of who made it and when it was last used."""

    label = models.CharField(
        "tên màn hình", max_length=100, help_text="Ví dụ: Màn hình sảnh tầng 1",
    )
    token_hash = models.CharField("mã băm của khóa", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name="người tạo",
    )
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người thu hồi",
    )
    last_used_at = models.DateTimeField("mở gần nhất lúc", null=True, blank=True)

    class Meta:
        verbose_name = "đường dẫn bảng công khai"
        verbose_name_plural = "đường dẫn bảng công khai"
        ordering = ["revoked_at", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(label=""), name="board_link_has_label"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("created_at")),
                name="board_link_revoked_after_created",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
