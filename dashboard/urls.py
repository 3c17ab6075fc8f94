from django.urls import path, register_converter

import units.converters  # noqa: F401  (the "code" converter)

from . import board_views, views
from .models import TOKEN_REGEX

app_name = "dashboard"


class BoardTokenConverter:
    """`<board_token:token>`: only a well-formed token matches, so a malformed one (a NUL, a
    slash) is a 404 before anything is looked up."""

    regex = TOKEN_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(BoardTokenConverter, "board_token")

urlpatterns = [
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("bang-dieu-khien/xuat.xlsx", views.dashboard_export, name="export"),
    path("don-vi-cua-toi/", views.own_panel, name="own_panel"),
    path("don-vi/<code:unit_code>/", views.unit_panel, name="unit_panel"),
    path("bang-cong-khai/", board_views.public_board, name="board"),
    path("bang-cong-khai/man-hinh/<board_token:token>/", board_views.board_screen, name="board_screen"),
    path("bang-cong-khai/duong-dan/", board_views.board_links, name="board_links"),
    path("bang-cong-khai/duong-dan/thu-hoi/", board_views.board_link_revoke, name="board_link_revoke"),
]
