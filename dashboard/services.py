"""Writes of the dashboard app: the lobby screens' links to the public board."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import BoardLink, new_token, token_hash


def require_board_admin(user) -> None:
    """A link reaches the board without a login, so only an administrator hands one out."""
    if not (user.is_authenticated and user.is_active and user.is_superuser):
        raise PermissionDenied("Chỉ quản trị hệ thống được tạo và thu hồi đường dẫn bảng công khai.")


@transaction.atomic
def board_link_create(*, user, label: str) -> tuple[BoardLink, str]:
    """A new link and its token. The token is returned this once and never stored: the caller
    shows it to the administrator and forgets it."""
    require_board_admin(user)
    label = (label or "").strip()
    if not label:
        raise ValidationError("Phải đặt tên cho màn hình (ví dụ: Màn hình sảnh tầng 1).")
    token = new_token()
    link = BoardLink.objects.create(label=label, token_hash=token_hash(token), created_by=user)
    return link, token


@transaction.atomic
def board_link_revoke(*, user, link: BoardLink) -> BoardLink:
    """From now on the link's token is refused; the link itself is kept as a record."""
    require_board_admin(user)
    link = BoardLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is not None:
        raise ValidationError(f"Đường dẫn «{link.label}» đã bị thu hồi trước đó.")
    link.revoked_at = timezone.now()
    link.revoked_by = user
    link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def board_link_seen(*, link: BoardLink) -> None:
    """Records that a screen used the link, so the administrator can tell a screen that
    still shows the board from a link nobody uses any more. The token itself is the
    permission: the view calls this only for a link it found active."""
    BoardLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(last_used_at=timezone.now())
