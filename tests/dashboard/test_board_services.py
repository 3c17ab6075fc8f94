"""The lobby screens' links: made and revoked by an administrator only, the token kept as a hash."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from dashboard import board
from dashboard.models import BoardLink, token_hash
from dashboard.services import board_link_create, board_link_revoke, board_link_seen

NOT_ADMINS = ("staff_a", "compiler", "appraiser", "finance", "director")


def test_an_administrator_makes_a_link_whose_token_is_kept_only_as_its_hash(cast):
    link, token = board_link_create(user=cast.admin, label="  Màn hình sảnh tầng 1 ")
    link.refresh_from_db()
    assert link.label == "Màn hình sảnh tầng 1"
    assert link.created_by == cast.admin and link.created_at is not None
    assert link.revoked_at is None and link.last_used_at is None
    assert link.token_hash == token_hash(token) and token not in link.token_hash
    assert not BoardLink.objects.filter(token_hash=token).exists()
    assert board.board_link_for_token(token) == link


def test_a_token_carries_256_random_bits_in_url_safe_characters(cast):
    tokens = {board_link_create(user=cast.admin, label=f"Màn hình {i}")[1] for i in range(20)}
    assert len(tokens) == 20
    # 43 base64url characters hold 258 bits; secrets.token_urlsafe(32) fills 256 of them.
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", token) for token in tokens)


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_no_one_but_an_administrator_may_make_a_link(cast, who):
    with pytest.raises(PermissionDenied):
        board_link_create(user=getattr(cast, who), label="Màn hình")
    assert not BoardLink.objects.exists()


def test_an_anonymous_visitor_may_not_make_a_link(cast):
    with pytest.raises(PermissionDenied):
        board_link_create(user=AnonymousUser(), label="Màn hình")


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_no_one_but_an_administrator_may_revoke_a_link(cast, who):
    link, _ = board_link_create(user=cast.admin, label="Màn hình")
    with pytest.raises(PermissionDenied):
        board_link_revoke(user=getattr(cast, who), link=link)
    link.refresh_from_db()
    assert link.is_active


def test_a_link_needs_a_name(cast):
    with pytest.raises(ValidationError, match="Phải đặt tên"):
        board_link_create(user=cast.admin, label="   ")
    assert not BoardLink.objects.exists()


def test_revoking_records_who_and_when_and_refuses_the_token_from_then_on(cast):
    link, token = board_link_create(user=cast.admin, label="Màn hình")
    board_link_revoke(user=cast.admin, link=link)
    link.refresh_from_db()
    assert link.revoked_by == cast.admin and link.revoked_at >= link.created_at
    assert not board.board_link_for_token(token).is_active


def test_a_link_is_revoked_once(cast):
    link, _ = board_link_create(user=cast.admin, label="Màn hình")
    board_link_revoke(user=cast.admin, link=link)
    first = BoardLink.objects.get(pk=link.pk).revoked_at
    with pytest.raises(ValidationError, match="đã bị thu hồi trước đó"):
        board_link_revoke(user=cast.admin, link=link)
    assert BoardLink.objects.get(pk=link.pk).revoked_at == first


def test_a_screen_s_visit_is_recorded_only_on_an_active_link(cast):
    link, _ = board_link_create(user=cast.admin, label="Màn hình")
    board_link_seen(link=link)
    link.refresh_from_db()
    assert link.last_used_at is not None
    seen = link.last_used_at
    board_link_revoke(user=cast.admin, link=link)
    board_link_seen(link=link)
    link.refresh_from_db()
    assert link.last_used_at == seen
