"""The public board (bảng công khai): a read-only page for the office's lobby screen.

Two ways in. A logged-in user opens it like any page of a campaign
(`/phong-trao/<CODE>/bang-cong-khai/`). A lobby screen, where nobody logs in, opens the secret
address an administrator made for it (`/bang-cong-khai/man-hinh/<token>/`): the token reaches
that page and nothing else. It grants no session and sets no cookie, so every other address
answers the screen as it answers anyone not logged in; it is refused under a campaign's prefix;
a revoked or unknown token is refused in Vietnamese. The screen's address names no campaign:
it shows the campaign being served (`current_campaign()`), so one link set up on a screen keeps
showing the office's current campaign from one year to the next.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from campaign.scope import campaign_view, short_urls
from campaign.selectors import current_campaign
from units.confirm import confirmation_page, confirmed

from . import board, services
from .forms import BoardLinkForm, BoardLinkRevokeForm


def _kept_private(response):
    # The screen's address carries its token: no cache, no search engine, and no Referer
    # header that would hand the address to whatever the page loads.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _render_board(request, campaign, *, via_link: bool):
    return _kept_private(render(request, "dashboard/board.html", {
        "board": board.public_board(campaign), "via_link": via_link,
        "refresh_seconds": settings.BOARD_REFRESH_SECONDS,
    }))


@login_required
@require_safe
@campaign_view
def public_board(request):
    return _render_board(request, request.campaign, via_link=False)


@require_safe
def board_screen(request, token: str):
    """See the module's docstring."""
    if getattr(request, "campaign_in_url", False):
        raise Http404("Đường dẫn màn hình không thuộc phong trào nào.")
    link = board.board_link_for_token(token)
    if link is None or not link.is_active:
        return _kept_private(render(request, "dashboard/board_refused.html", {"link": link},
                                    status=404 if link is None else 403))
    services.board_link_seen(link=link)
    return _render_board(request, current_campaign(), via_link=True)


def screen_url(request, token: str) -> str:
    with short_urls():  # the screen's address names no campaign
        return request.build_absolute_uri(reverse("dashboard:board_screen", args=[token]))


@login_required
def board_links(request):
    """The administrator's list of lobby links: make one (its address shown this once) or
    revoke one."""
    services.require_board_admin(request.user)
    form, created = BoardLinkForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            link, token = services.board_link_create(user=request.user, label=form.cleaned_data["label"])
        except ValidationError as exc:
            form.add_error("label", exc)
        else:
            created, form = {"link": link, "url": screen_url(request, token)}, BoardLinkForm()
    response = render(request, "dashboard/board_links.html", {
        "form": form, "created": created, "links": board.board_links(),
    })
    # The new address is in the page, not in its URL: kept out of caches only. (No
    # Referrer-Policy: no-referrer here, which makes the browser post the forms with
    # "Origin: null", refused by the CSRF check.)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def board_link_revoke(request):
    services.require_board_admin(request.user)
    form = BoardLinkRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Không có đường dẫn này.")
        return redirect("dashboard:board_links")
    link = form.cleaned_data["link"]
    if link.is_active and not confirmed(request):
        return confirmation_page(
            request, title=f"thu hồi đường dẫn «{link.label}»",
            consequences=["Màn hình dùng đường dẫn này thôi hiện bảng công khai ở lần làm mới tiếp "
                          "theo; ai giữ đường dẫn cũng không mở được nữa.",
                          "Không khôi phục được: muốn dùng lại màn hình, hãy tạo đường dẫn mới."],
            button="Thu hồi đường dẫn", cancel_url=reverse("dashboard:board_links"),
        )
    try:
        link = services.board_link_revoke(user=request.user, link=link)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã thu hồi đường dẫn «{link.label}»: màn hình dùng nó sẽ thôi "
                                  "hiện bảng ở lần làm mới tiếp theo.")
    return redirect("dashboard:board_links")
