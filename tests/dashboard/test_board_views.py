"""The public board: by a login or a lobby screen's token, the latest rolled-up month and the
open month's count, never a figure that was not rolled up; the token reaches nothing else."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import Dossier
from awards.services import candidate_drop
from campaign.models import Campaign, Period, Report, Target
from campaign.scope import campaign_urls, short_urls
from dashboard.models import BoardLink
from dashboard.services import board_link_create, board_link_revoke
from rules.formatting import format_percent
from scoring.rollup import provisional_document
from scoring.services import period_rollup
from tests.conftest import target_figures
from tests.security.test_permission_matrix import MATRIX, NEVER_UNDER_A_CAMPAIGN
from units.models import Unit

STRONG = {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_000,
          "revenue": 240_000_000_000}
# Every plan reached: eligible in any month.
AT_PLAN = {"mandatory_actual": 9_500, "voluntary_actual": 4_000, "health_actual": 100_000,
           "revenue": 260_000_000_000}
# Figures no rolled-up month has: (9.321 − 8.500) / 1.000 = 82,1 %, 77,7 %, 75,3 %, mean 78,4 %;
# revenue 72,2 %, and so on. Each would be recognisable on the page.
DISTINCTIVE = {"mandatory_actual": 9_321, "voluntary_actual": 3_777, "health_actual": 97_531,
               "revenue": 187_654_321_000, "nonpublic_revenue": 55_555_000_000,
               "due": 199_999_000_000, "late": 7_777_000_000, "late_interest": 1_234_000_000}


@pytest.fixture
def rolled(cast, make_report):
    """October rolled up (B first, C second, A short of every threshold); November open with A
    submitted and B a draft, both on distinctive figures, C not reported."""
    october, november = cast.periods[0], cast.periods[1]
    make_report(october, cast.office_a)
    make_report(october, cast.office_b, **(STRONG | {"health_actual": 99_500}))
    make_report(october, cast.office_c, **STRONG)
    period_rollup(period=october, user=cast.compiler)
    make_report(november, cast.office_a, **DISTINCTIVE)
    make_report(november, cast.office_b, status=Report.Status.DRAFT,
                **(DISTINCTIVE | {"mandatory_actual": 9_287, "health_actual": 96_413}))
    cast.link, cast.token = board_link_create(user=cast.admin, label="Màn hình sảnh")
    return cast


def screen_url(token: str) -> str:
    with short_urls():
        return reverse("dashboard:board_screen", args=[token])


def test_the_token_shows_the_board_without_a_login_and_sets_no_cookie(client, rolled):
    response = client.get(screen_url(rolled.token))
    assert response.status_code == 200
    assert not response.cookies, "the token must grant no session"
    assert "sessionid" not in client.cookies and "csrftoken" not in client.cookies
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "no-referrer"
    page = response.content.decode()
    assert "Thi đua thử" in page  # the campaign being served
    assert "Về trang chủ" not in page  # a screen gets no link into the site
    rolled.link.refresh_from_db()
    assert rolled.link.last_used_at is not None


def test_the_board_shows_the_latest_rolled_up_month_its_ranking_and_prizes(client, rolled):
    client.force_login(rolled.staff_a)
    response = client.get(reverse("dashboard:board"))
    assert response.status_code == 200
    board = response.context["board"]
    assert board.period_name == "Tháng 10/2025"
    assert [(r.rank, r.name, r.prize) for r in board.rows] == [
        (1, "BHXH cơ sở B", "Giải Nhất"), (2, "BHXH cơ sở C", "Giải Nhì")]
    assert board.not_eligible == 1 and board.unreported == 0
    page = response.content.decode()
    assert "Kết quả Tháng 10/2025" in page
    assert "91,7 %" in page  # B's mean participant rate (R4): (90 + 90 + 95) / 3
    assert "5.000.000 đồng" in page and "3.000.000 đồng" in page
    assert "Dự kiến theo kết quả tổng hợp, chờ phê duyệt." in page
    assert "1 đơn vị chưa đạt đủ ba tiêu chí" in page


def test_the_open_month_shows_how_many_offices_submitted_and_nothing_else(client, rolled):
    page = client.get(screen_url(rolled.token)).content.decode()
    assert "Tháng 11/2025: đang báo cáo" in page
    assert "<strong>1/3</strong> BHXH cơ sở đã gửi báo cáo" in page  # A submitted; B a draft


def test_no_figure_of_a_draft_or_of_a_report_not_rolled_up_reaches_the_board(client, rolled):
    """The open month's standings as they would be computed now: not one of their rates, nor
    one of the reports' figures, is on the page, for a screen or for a logged-in reader."""
    provisional = provisional_document(rolled.periods[1])
    texts = set()
    for row in provisional["standings"]:
        if row["unit"] in ("AAA", "BBB"):
            texts |= {format_percent(v) for v in row["metrics"].values() if v is not None}
            texts |= {format_percent(s["rate"]) for s in row["schemes"] if s["rate"] is not None}
    assert "78,4 %" in texts and len(texts) >= 8  # the test itself reads the figures it means
    texts |= {"9.321", "97.531", "187.654.321.000", "9.287", "96.413"}
    client.force_login(rolled.director)  # a reader who may see every draft elsewhere
    pages = [client.get(screen_url(rolled.token)).content.decode(),
             client.get(reverse("dashboard:board")).content.decode()]
    for page in pages:
        assert not [t for t in texts if t in page]


def test_once_approved_the_prizes_are_the_decision_s_lines(client, rolled):
    dossier = Dossier.objects.get(period=rolled.period1)
    candidate_drop(user=rolled.compiler, dossier=dossier, unit=rolled.office_b, reason="Sai sót hồ sơ")
    Dossier.objects.filter(pk=dossier.pk).update(
        state=Dossier.State.APPROVED, council_date=dt.date(2025, 11, 10), council_minutes="01/BB-HĐ",
        decision_number="12/QĐ-BHXH", decision_date=dt.date(2025, 11, 15))
    response = client.get(screen_url(rolled.token))
    board = response.context["board"]
    assert [(p.prize_name, p.unit_name) for p in board.prizes] == [("Giải Nhất", "BHXH cơ sở C")]
    page = response.content.decode()
    assert "Đã phê duyệt: Quyết định số 12/QĐ-BHXH ngày 15/11/2025." in page
    # The ranking stays as rolled up; B's prize is not shown beside it any more.
    assert [(r.name, r.prize) for r in board.rows] == [("BHXH cơ sở B", None), ("BHXH cơ sở C", "Giải Nhất")]


def test_before_any_roll_up_the_board_says_so(client, cast, make_report):
    make_report(cast.period1, cast.office_a)
    _, token = board_link_create(user=cast.admin, label="Màn hình")
    page = client.get(screen_url(token)).content.decode()
    assert "Chưa có tháng nào được tổng hợp" in page
    assert "<strong>1/3</strong> BHXH cơ sở đã gửi báo cáo" in page


def test_a_revoked_token_is_refused_in_vietnamese(client, rolled):
    board_link_revoke(user=rolled.admin, link=rolled.link)
    response = client.get(screen_url(rolled.token))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Đường dẫn này đã bị thu hồi" in page and 'data-stop="1"' in page
    assert "BHXH cơ sở B" not in page and "Tháng 10/2025" not in page


def test_an_unknown_token_is_not_found(client, rolled):
    response = client.get(screen_url("A" * 43))
    assert response.status_code == 404
    assert "Không có đường dẫn này" in response.content.decode()


def test_a_malformed_token_does_not_reach_the_view(client, rolled):
    for token in ("short", rolled.token + "x", rolled.token[:-1] + "%00"):
        assert client.get(f"/bang-cong-khai/man-hinh/{token}/").status_code == 404


def test_the_token_under_a_campaign_s_address_is_not_found(client, rolled):
    with campaign_urls(rolled.campaign):
        url = reverse("dashboard:board_screen", args=[rolled.token])
    assert url.startswith("/phong-trao/TEST2025/")
    assert client.get(url).status_code == 404


def test_the_token_reaches_no_other_page(client, rolled):
    """After the screen opened the board, every other address answers it as it answers anyone
    not logged in (the login page), with the token in the query string or not."""
    assert client.get(screen_url(rolled.token)).status_code == 200
    world = {"board_token": rolled.token, "snapshot": None, "dossier": None}
    checked = 0
    for name, (method, kwargs, expected) in MATRIX.items():
        if name in NEVER_UNDER_A_CAMPAIGN:
            continue
        try:
            url = reverse(name, kwargs=kwargs(world))
        except (AttributeError, KeyError, TypeError):
            continue  # a page of an object this world does not hold
        for suffix in ("", f"?token={rolled.token}", f"?khoa={rolled.token}"):
            response = getattr(client, method)(url + suffix)
            assert response.status_code == expected["anon"], (name, suffix, response.status_code)
            if response.status_code == 302 and name != "logout":
                assert response["Location"].startswith(reverse("login")), name
            checked += 1
    assert checked >= 100


def test_a_screen_refuses_anything_but_reading(client, rolled):
    assert client.post(screen_url(rolled.token)).status_code == 405


def test_anonymous_without_the_token_is_sent_to_log_in(client, rolled):
    response = client.get(reverse("dashboard:board"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_logged_in_reader_sees_the_board_of_the_campaign_in_the_address(client, rolled):
    client.force_login(rolled.staff_b)
    page = client.get(reverse("dashboard:board")).content.decode()
    assert "Về trang chủ" in page and "Đường dẫn cho màn hình sảnh" not in page
    client.force_login(rolled.admin)
    assert "Đường dẫn cho màn hình sảnh" in client.get(reverse("dashboard:board")).content.decode()


def test_the_screen_follows_the_campaign_being_served(client, rolled):
    """One link on a screen keeps showing the office's campaign when the next one begins."""
    Period.objects.filter(campaign=rolled.campaign).update(status=Period.Status.LOCKED)
    following = Campaign.objects.create(code="NEXT", name="Phong trào tiếp theo", year=2026,
                                        launch_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    Period.objects.create(campaign=following, number=1, name="Quý I", first_day=dt.date(2026, 1, 1),
                          last_day=dt.date(2026, 3, 31), participant_threshold=81, revenue_threshold=81,
                          rollup_due_at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    page = client.get(screen_url(rolled.token)).content.decode()
    assert "Phong trào tiếp theo" in page and "Quý I: đang báo cáo" in page
    assert "Chưa có tháng nào được tổng hợp" in page


def test_the_board_s_queries_do_not_grow_with_units(client, rolled, make_report, django_assert_max_num_queries):
    url = screen_url(rolled.token)
    # The link and its visit, the campaign, the open month and its two counts, the snapshot,
    # its dossier, the office.
    with django_assert_max_num_queries(9) as small:
        client.get(url)
    for i in range(60):
        unit = Unit.objects.create(code=f"X{i:02d}", name=f"BHXH cơ sở X{i:02d}", kind=Unit.Kind.LOCAL_OFFICE)
        Target.objects.create(campaign=rolled.campaign, unit=unit, **target_figures())
        make_report(rolled.periods[1], unit, **AT_PLAN)
    make_report(rolled.periods[1], rolled.office_c, **AT_PLAN)
    Report.objects.filter(unit=rolled.office_b, period=rolled.periods[1]).update(
        status=Report.Status.SUBMITTED, submitted_at=timezone.now())
    period_rollup(period=rolled.periods[1], user=rolled.compiler)  # 63 offices ranked, prizes made
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["board"].more_ranked > 0


def test_the_administrator_s_page_shows_a_new_link_once(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("dashboard:board_links"), {"label": "Màn hình sảnh tầng 1"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    shown = response.context["created"]["url"]
    assert shown.startswith("http://testserver/bang-cong-khai/man-hinh/")
    link = BoardLink.objects.get()
    assert link.label == "Màn hình sảnh tầng 1"
    assert shown in response.content.decode()
    token = shown.rstrip("/").rsplit("/", 1)[1]
    again = client.get(reverse("dashboard:board_links")).content.decode()
    assert token not in again and "Màn hình sảnh tầng 1" in again
    assert "Đang dùng" in again and "Chưa mở" in again
    client.logout()
    assert client.get(shown.removeprefix("http://testserver")).status_code == 200


def test_a_nameless_link_is_refused_on_the_page(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("dashboard:board_links"), {"label": ""})
    assert response.status_code == 200 and response.context["created"] is None
    assert not BoardLink.objects.exists()


def test_the_administrator_revokes_a_link_on_the_page_after_confirming(client, rolled):
    client.force_login(rolled.admin)
    url = reverse("dashboard:board_link_revoke")
    page = client.post(url, {"link": rolled.link.pk}).content.decode()
    assert "Xác nhận: thu hồi đường dẫn «Màn hình sảnh»" in page
    rolled.link.refresh_from_db()
    assert rolled.link.is_active
    response = client.post(url, {"link": rolled.link.pk, "confirm": "1"}, follow=True)
    assert "Đã thu hồi đường dẫn «Màn hình sảnh»" in response.content.decode()
    assert "Đã thu hồi lúc" in response.content.decode()
    client.logout()
    assert client.get(screen_url(rolled.token)).status_code == 403


@pytest.mark.parametrize("who", ["staff_a", "compiler", "director"])
def test_only_an_administrator_revokes_on_the_page(client, rolled, who):
    client.force_login(getattr(rolled, who))
    response = client.post(reverse("dashboard:board_link_revoke"), {"link": rolled.link.pk, "confirm": "1"})
    assert response.status_code == 403
    rolled.link.refresh_from_db()
    assert rolled.link.is_active


def test_counts_in_attributes_are_never_grouped_at_national_scale(rf, cast):
    """The progress bar's value and max are numbers for the browser: 2400, not "2.400"."""
    from django.template.loader import render_to_string

    from dashboard.board import Board, OpenMonth

    request = rf.get("/")
    request.user = cast.staff_a
    page = render_to_string("dashboard/board.html", {
        "board": Board(campaign=cast.campaign, open_month=OpenMonth(cast.periods[1], 1234, 2400)),
        "via_link": True, "refresh_seconds": 1500,
    }, request=request)
    assert 'value="1234" max="2400"' in page and 'data-refresh-seconds="1500"' in page
    assert "<strong>1.234/2.400</strong>" in page
