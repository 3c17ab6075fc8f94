"""Every URL × every role → the expected answer.

The list of URLs comes from the URL configuration itself: a new view without an entry in
MATRIX fails `test_every_url_has_an_entry`. The cases reverse their URLs inside the cast's
campaign (`/phong-trao/TEST2025/…`), as the pages link; every page of a campaign is also reached
by its short URL, which must redirect into the campaign. Each case runs on a database holding a small
province, its reports, a roll-up (snapshot and draft dossier with one individual), a department
nomination and an uploaded spreadsheet: one world, built once for all the cases. What a case
writes (a login's session, a POST that is let through) is rolled back after it; what a write
would do outside the database waits for a commit that never comes (transaction.on_commit: the
uploaded file's removal, a queued roll-up), and the cache is emptied before each case.
"""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from awards import services as award_services
from awards.models import Dossier
from campaign.models import Campaign, ImportBatch
from campaign.scope import campaign_urls, short_urls
from dashboard.services import board_link_create
from scoring.services import period_rollup
from units.models import Person

from ..conftest import build_cast, create_report, rows_shared_by_the_scope

ROLES = ("anon", "staff_a", "staff_b", "compiler", "appraiser", "finance", "director", "admin")
MANAGERS = ("appraiser", "finance", "director")
LOGIN = 302  # anonymous: sent to the login page


def answers(default, **overrides) -> dict:
    """Every logged-in role gets `default` unless overridden; anonymous is sent to log in."""
    table = {role: default for role in ROLES} | {"anon": LOGIN}
    table.update(overrides)
    return table


EVERYONE = answers(200)
COMPILER_ONLY = answers(403, compiler=200, admin=200)
COMPILER_WRITES = answers(403, compiler=302, admin=302)
AWARD_READERS = answers(200, staff_a=403, staff_b=403)
FINANCE_WRITES = answers(403, finance=302, admin=302)
OWN_UNIT = answers(200, staff_b=404)
# A campaign's definition is written by the administrator alone (campaign.access).
ADMIN_ONLY = answers(403, admin=200)

# name → (method, kwargs builder, expected answers)
MATRIX = {
    "home": ("get", lambda w: {}, EVERYONE),
    "archive": ("get", lambda w: {}, EVERYONE),
    "login": ("get", lambda w: {}, answers(200, anon=200)),
    "logout": ("post", lambda w: {}, answers(302, anon=302)),
    "password_change": ("get", lambda w: {}, EVERYONE),
    "password_change_done": ("get", lambda w: {}, EVERYONE),
    "password_reset": ("get", lambda w: {}, answers(200, anon=200)),
    "password_reset_done": ("get", lambda w: {}, answers(200, anon=200)),
    "password_reset_confirm": ("get", lambda w: {"uidb64": "MQ", "token": "nope"}, answers(200, anon=200)),
    "password_reset_complete": ("get", lambda w: {}, answers(200, anon=200)),
    "campaign:report_edit": ("get", lambda w: {"number": 1, "unit_code": "AAA"}, OWN_UNIT),
    "campaign:report_return": ("post", lambda w: {"number": 1, "unit_code": "AAA"}, COMPILER_WRITES),
    "campaign:warning_acknowledge": ("post", lambda w: {"number": 1, "unit_code": "AAA"}, COMPILER_WRITES),
    "campaign:period_reports_current": ("get", lambda w: {}, COMPILER_ONLY),
    "campaign:period_reports": ("get", lambda w: {"number": 1}, COMPILER_ONLY),
    "campaign:targets": ("get", lambda w: {}, COMPILER_ONLY),
    "campaign:target_edit": ("get", lambda w: {"unit_code": "AAA"}, COMPILER_ONLY),
    "campaign:definition": ("get", lambda w: {}, AWARD_READERS),
    "campaign:definition_file": ("get", lambda w: {}, AWARD_READERS),
    "campaign:definition_edit": ("get", lambda w: {}, ADMIN_ONLY),
    "campaign:definition_copy": ("get", lambda w: {}, ADMIN_ONLY),
    "campaign:definition_upload": ("get", lambda w: {}, ADMIN_ONLY),
    "excel:index": ("get", lambda w: {}, COMPILER_ONLY),
    "excel:template_targets": ("get", lambda w: {}, COMPILER_ONLY),
    "excel:template_results": ("get", lambda w: {"number": 2}, COMPILER_ONLY),
    "excel:upload_targets": ("post", lambda w: {}, answers(403, compiler=302, admin=302)),
    "excel:upload_results": ("post", lambda w: {"number": 2}, answers(403, compiler=302, admin=302)),
    "excel:preview": ("get", lambda w: {"pk": w["batch"].pk}, COMPILER_ONLY),
    "excel:batch_file": ("get", lambda w: {"pk": w["batch"].pk}, COMPILER_ONLY),
    "excel:confirm": ("post", lambda w: {"pk": w["batch"].pk}, COMPILER_WRITES),
    "excel:cancel": ("post", lambda w: {"pk": w["batch"].pk}, COMPILER_WRITES),
    "excel:export_targets": ("get", lambda w: {}, COMPILER_ONLY),
    "excel:export_reports": ("get", lambda w: {"number": 1}, COMPILER_ONLY),
    "scoring:ranking_current": ("get", lambda w: {}, EVERYONE),
    "scoring:ranking": ("get", lambda w: {"number": 1}, EVERYONE),
    # Without confirm=1 a roll-up answers with its confirmation page (units/confirm.py).
    "scoring:rollup": ("post", lambda w: {"number": 2}, COMPILER_ONLY),
    "scoring:rollup_runs": ("get", lambda w: {"number": 1}, COMPILER_ONLY),
    "scoring:reopen": ("post", lambda w: {"number": 1}, COMPILER_WRITES),
    "scoring:snapshot": ("get", lambda w: {"pk": w["snapshot"].pk}, EVERYONE),
    "scoring:rules": ("get", lambda w: {}, EVERYONE),
    "awards:dossiers": ("get", lambda w: {}, AWARD_READERS),
    "awards:budget": ("get", lambda w: {}, AWARD_READERS),
    "awards:summary": ("get", lambda w: {}, EVERYONE),
    # Anyone signed in may check a decision file they hold.
    "awards:verify": ("get", lambda w: {}, EVERYONE),
    # The campaign summary publishes what was decided (awards/summary.py): every login.
    "awards:summary_xlsx": ("get", lambda w: {}, EVERYONE),
    "awards:summary_pdf": ("get", lambda w: {}, EVERYONE),
    "awards:dossier": ("get", lambda w: {"pk": w["dossier"].pk}, AWARD_READERS),
    "awards:memo_pdf": ("get", lambda w: {"pk": w["dossier"].pk}, AWARD_READERS),
    "awards:decision_pdf": ("get", lambda w: {"pk": w["dossier"].pk}, AWARD_READERS),
    "awards:award_list_xlsx": ("get", lambda w: {"pk": w["dossier"].pk}, AWARD_READERS),
    "awards:nominate": ("post", lambda w: {"pk": w["dossier"].pk}, COMPILER_WRITES),
    "awards:nomination_move": ("post", lambda w: {"pk": w["dossier"].pk, "nomination_pk": w["nomination"].pk}, COMPILER_WRITES),
    "awards:candidate_drop": ("post", lambda w: {"pk": w["dossier"].pk}, COMPILER_WRITES),
    "awards:candidate_restore": ("post", lambda w: {"pk": w["dossier"].pk}, COMPILER_WRITES),
    "awards:individual_add": ("post", lambda w: {"pk": w["dossier"].pk, "line_pk": w["line"].pk}, COMPILER_WRITES),
    "awards:individual_update": ("post", lambda w: {"pk": w["dossier"].pk, "individual_pk": w["individual"].pk}, COMPILER_WRITES),
    "awards:individual_remove": ("post", lambda w: {"pk": w["dossier"].pk, "individual_pk": w["individual"].pk}, COMPILER_WRITES),
    "awards:transition": ("post", lambda w: {"pk": w["dossier"].pk, "action": "submit"}, COMPILER_WRITES),
    # Finance's payments: an empty form is sent back to the dossier page with its errors.
    "awards:payments_record": ("post", lambda w: {"pk": w["dossier"].pk}, FINANCE_WRITES),
    "awards:payment_cancel": ("post", lambda w: {"pk": w["dossier"].pk}, FINANCE_WRITES),
    "dashboard:dashboard": ("get", lambda w: {}, EVERYONE),
    "dashboard:export": ("get", lambda w: {}, EVERYONE),
    "dashboard:own_panel": ("get", lambda w: {}, answers(302)),
    "dashboard:unit_panel": ("get", lambda w: {"unit_code": "AAA"}, OWN_UNIT),
    "dashboard:board": ("get", lambda w: {}, EVERYONE),
    # The lobby screen's address: its token is the permission, whoever (if anyone) is logged in.
    "dashboard:board_screen": ("get", lambda w: {"token": w["board_token"]}, answers(200, anon=200)),
    "dashboard:board_links": ("get", lambda w: {}, ADMIN_ONLY),
    # Without a link to revoke the form is refused, and the page says so.
    "dashboard:board_link_revoke": ("post", lambda w: {}, answers(403, admin=302)),
}


# The pages that belong to no one campaign; every other page must be marked @campaign_view.
NOT_OF_A_CAMPAIGN = {"home", "archive", "login", "logout", "awards:verify", "password_change",
                     "campaign:definition_upload",
                     "password_change_done", "password_reset", "password_reset_done",
                     "password_reset_confirm", "password_reset_complete",
                     # The lobby screen follows the campaign being served; its links are the
                     # installation's (dashboard/board_views.py).
                     "dashboard:board_screen", "dashboard:board_links", "dashboard:board_link_revoke"}


# The lobby screen's address refuses a campaign's prefix (tests/dashboard/test_board_views.py).
NEVER_UNDER_A_CAMPAIGN = {"dashboard:board_screen"}


def url_patterns(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin guards itself (staff flag and model permissions)
            yield from url_patterns(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def url_names():
    return [name for name, _ in url_patterns()]


def test_every_url_has_an_entry():
    assert set(url_names()) == set(MATRIX)


def test_every_page_but_a_few_names_its_campaign():
    scoped = {name for name, p in url_patterns() if getattr(p.callback, "campaign_scoped", False)}
    assert scoped == set(MATRIX) - NOT_OF_A_CAMPAIGN


@pytest.fixture
def world(cast):
    return build_world(cast)


def build_world(cast) -> dict:
    strong = {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_000,
              "revenue": 240_000_000_000}
    create_report(cast.period1, cast.office_a, **strong)
    create_report(cast.period1, cast.office_b, **strong)
    snapshot, _ = period_rollup(period=cast.period1, user=cast.compiler)
    dossier = Dossier.objects.get(snapshot=snapshot)
    line = dossier.lines.order_by("position").first()
    person = Person.objects.create(full_name="Nguyễn Văn A", unit=line.unit, title="Chuyên viên")
    individual = award_services.individual_add(user=cast.compiler, line=line, person=person,
                                               achievement="Phát triển BHYT hộ gia đình")
    nomination = award_services.nomination_create(user=cast.compiler, dossier=dossier,
                                                  unit=cast.tchc, reason="Tham mưu tốt")
    batch = ImportBatch(campaign=cast.campaign, period=cast.periods[1], kind="results",
                        original_name="ket-qua.xlsx", sha256="0" * 64, uploaded_by=cast.compiler)
    batch.file.save("ket-qua.xlsx", ContentFile(b"PK\x03\x04 not really a workbook"), save=False)
    batch.save()
    board_link, board_token = board_link_create(user=cast.admin, label="Màn hình sảnh")
    return {"cast": cast, "snapshot": snapshot, "dossier": dossier, "line": line,
            "individual": individual, "nomination": nomination, "batch": batch,
            "board_link": board_link, "board_token": board_token}


def check_answer(client, world, name, role):
    method, kwargs, expected = MATRIX[name]
    if role != "anon":
        client.force_login(getattr(world["cast"], role))
    if name in NEVER_UNDER_A_CAMPAIGN:
        with short_urls():
            url = reverse(name, kwargs=kwargs(world))
    else:
        url = reverse(name, kwargs=kwargs(world))
    response = getattr(client, method)(url)
    assert response.status_code == expected[role], (name, role, response.status_code)
    if role == "anon" and expected[role] == LOGIN and name not in ("logout",):
        assert reverse("login") in response.url


CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.fixture(scope="class")
def shared_world(django_db_setup, django_db_blocker):
    with rows_shared_by_the_scope(django_db_blocker, lambda: build_world(build_cast())) as world:
        yield world


class TestAnswers:
    @pytest.mark.parametrize("name, role", CASES, ids=[f"{n}-{r}" for n, r in CASES])
    def test_answer(self, db, client, shared_world, name, role):
        with campaign_urls(shared_world["cast"].campaign):
            check_answer(client, shared_world, name, role)


SCOPED = [name for name in MATRIX if name not in NOT_OF_A_CAMPAIGN]


@pytest.mark.parametrize("name", SCOPED)
def test_short_url_redirects_into_the_campaign(client, world, name):
    """The address as it was before campaigns were named still works: it leads to the same
    page of the campaign being served (a page of one object: of the object's campaign)."""
    method, kwargs, _ = MATRIX[name]
    client.force_login(world["cast"].admin)
    with campaign_urls(world["cast"].campaign):
        prefixed = reverse(name, kwargs=kwargs(world))
    with short_urls():
        short = reverse(name, kwargs=kwargs(world))
    assert not short.startswith("/phong-trao/") and prefixed == f"/phong-trao/TEST2025{short}"
    response = getattr(client, method)(short + "?trang=2")
    assert response.status_code == (302 if method == "get" else 307), name
    assert response["Location"] == prefixed + "?trang=2"


OBJECT_PAGES = [name for name, p in url_patterns() if "pk" in p.pattern.converters]


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_object_page_under_another_campaign_is_not_found(client, world, name):
    method, kwargs, _ = MATRIX[name]
    other = Campaign.objects.create(code="KHAC2026", name="Phong trào khác", year=2026,
                                    launch_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    client.force_login(world["cast"].admin)
    with campaign_urls(other):
        url = reverse(name, kwargs=kwargs(world))
    assert getattr(client, method)(url).status_code == 404


def test_unknown_or_malformed_campaign_code_is_not_found(client, cast):
    client.force_login(cast.admin)
    for code in ("KHONGCO", "test2025", "TEST%002025", "TEST%2F2025", "T\u1ebaST"):
        response = client.get(f"/phong-trao/{code}/xep-hang/")
        assert response.status_code == 404, code
        assert "Không tìm thấy" in response.content.decode()
