"""The definition pages: read and download for every manager; copy, edit and upload for the
administrator; amounts typed 6.000.000; every error at once with its key, nothing written; the
budget warning shown, not refusing; a started campaign refused in words."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign.definition import load
from campaign.definition_form import DefinitionForm
from campaign.models import Campaign, Period, PrizeLevel
from campaign.scope import campaign_urls, short_urls
from campaign.setup import campaign_load, definition_fingerprint, definition_of

from ..conftest import VN
from .test_definition import NEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_campaign(cast):
    """NUOCRUT2030, loaded from its file, still to start on the pinned day."""
    with time_machine.travel(dt.datetime(2030, 6, 1, 9, 0, tzinfo=VN), tick=False):
        yield campaign_load(definition=load(NEXT)).campaign


def url(campaign, name):
    with campaign_urls(campaign):
        return reverse(name)


def posted(campaign, **changes) -> dict:
    """What the edit page posts when sent as it was shown, with `changes` typed over it."""
    form = DefinitionForm.of(definition_of(campaign))
    cells = form.general + [c for row in form.prizes + form.periods for c in row.cells]
    return {c.name: c.value for c in cells} | {"shown": definition_fingerprint(campaign)} | changes


def test_the_edit_page_shows_amounts_with_dots_and_reads_them_back(client, cast, next_campaign):
    client.force_login(cast.admin)
    page = client.get(url(next_campaign, "campaign:definition_edit"))
    assert page.status_code == 200
    assert 'name="budget" value="120.000.000"' in page.content.decode()
    data = posted(next_campaign, budget="150.000.000", **{
        "prizes-1-amount": "6.500.000", "periods-1-revenue_threshold": "72,5",
        "prizes-3-key": "third", "prizes-3-name": "Giải Ba", "prizes-3-count": "3",
        "prizes-3-amount": "2.000.000", "prizes-3-individuals": "1",
        "periods-2-rollup_due": "2030-11-06T08:30",
    })
    response = client.post(url(next_campaign, "campaign:definition_edit"), data)
    assert response.status_code == 302 and response["Location"] == url(next_campaign, "campaign:definition")
    campaign = Campaign.objects.get(pk=next_campaign.pk)
    assert campaign.budget == 150_000_000
    assert list(PrizeLevel.objects.filter(campaign=campaign).values_list("key", "amount")) == [
        ("first", 6_500_000), ("khuyen-khich", 1_000_000), ("third", 2_000_000)]
    assert Period.objects.get(campaign=campaign, number=1).revenue_threshold == Decimal("72.5")
    assert Period.objects.get(campaign=campaign, number=2).rollup_due_at == dt.datetime(2030, 11, 6, 8, 30, tzinfo=VN)


def test_a_blank_row_removes_its_prize_level(client, cast, next_campaign):
    client.force_login(cast.admin)
    blank = {f"prizes-2-{key}": "" for key in ("key", "name", "count", "amount", "individuals")}
    client.post(url(next_campaign, "campaign:definition_edit"), posted(next_campaign, **blank))
    assert list(PrizeLevel.objects.filter(campaign=next_campaign).values_list("key", flat=True)) == ["first"]


def test_every_error_is_listed_with_its_key_and_nothing_is_written(client, cast, next_campaign):
    client.force_login(cast.admin)
    data = posted(next_campaign, budget="12,5 triệu", **{
        "periods-1-participant_threshold": "120", "periods-2-first_day": "2030-09-20",
        "prizes-2-key": "first", "end_date": "31/02/2030"})
    response = client.post(url(next_campaign, "campaign:definition_edit"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Định nghĩa có 5 lỗi, chưa ghi gì" in text
    for key in ("budget: «12,5 triệu» không phải số nguyên", "end_date: «31/02/2030» không phải một ngày",
                "prizes[2].key: «first» đã dùng", "periods[1].participant_threshold: phải từ 0 đến 100",
                "periods[2].first_day: chồng lên kỳ trước"):
        assert key in text, key
    # What was typed stays on the page, beside its error.
    assert 'value="12,5 triệu"' in text and 'aria-invalid="true"' in text
    assert Campaign.objects.get(pk=next_campaign.pk).budget == 120_000_000
    assert Period.objects.get(campaign=next_campaign, number=2).first_day == dt.date(2030, 10, 1)


def test_the_budget_warning_is_shown_and_the_definition_saved(client, cast, next_campaign):
    client.force_login(cast.admin)
    response = client.post(url(next_campaign, "campaign:definition_edit"),
                           posted(next_campaign, budget="1.000.000"), follow=True)
    assert "Lưu ý – budget: thang giải có thể tốn tới 20.200.000 đồng" in response.content.decode()
    assert Campaign.objects.get(pk=next_campaign.pk).budget == 1_000_000


def test_a_page_opened_before_someone_elses_save_or_saying_nothing_is_refused(client, cast, next_campaign):
    client.force_login(cast.admin)
    edit = url(next_campaign, "campaign:definition_edit")
    opened = posted(next_campaign, budget="130.000.000")
    client.post(edit, posted(next_campaign, budget="125.000.000"))  # another administrator
    for data in (opened, {k: v for k, v in opened.items() if k != "shown"}):
        text = client.post(edit, data).content.decode()
        assert "đã được thay đổi" in text and "Chưa có gì" in text
        assert 'value="130.000.000"' in text  # what was typed stays
    assert Campaign.objects.get(pk=next_campaign.pk).budget == 125_000_000


def test_a_started_campaign_is_not_edited_and_says_why(client, cast):
    client.force_login(cast.admin)
    edit = url(cast.campaign, "campaign:definition_edit")
    page = client.get(edit).content.decode()
    assert "đã bắt đầu từ ngày 01/10/2025" in page and 'name="budget"' not in page
    response = client.post(edit, posted(cast.campaign, budget="1"), follow=True)
    assert "Chưa có gì được ghi." in response.content.decode()
    assert Campaign.objects.get(pk=cast.campaign.pk).budget == 54_000_000


def test_the_definition_page_and_file_show_what_is_stored(client, cast, next_campaign):
    client.force_login(cast.compiler)
    page = client.get(url(next_campaign, "campaign:definition")).content.decode()
    assert "120.000.000 đồng" in page and "Giải Khuyến khích" in page and "Chuẩn bị chỉ tiêu" in page
    assert "Sửa định nghĩa" not in page  # the compiler reads; the administrator writes
    response = client.get(url(next_campaign, "campaign:definition_file"))
    assert response["Content-Disposition"] == 'attachment; filename="nuocrut2030.toml"'
    assert load(response.content.decode()) == definition_of(next_campaign)


def test_the_copy_page_creates_the_next_campaign_and_opens_its_edit_page(client, cast, next_campaign):
    client.force_login(cast.admin)
    page = client.get(url(next_campaign, "campaign:definition_copy")).content.decode()
    assert 'value="NUOCRUT2031"' in page and 'value="2031"' in page
    response = client.post(url(next_campaign, "campaign:definition_copy"),
                           {"code": "NUOCRUT2031", "name": "Phong trào năm 2031", "year": "2031"})
    copy = Campaign.objects.get(code="NUOCRUT2031")
    assert response["Location"] == url(copy, "campaign:definition_edit")
    assert copy.launch_date == dt.date(2031, 9, 15)
    again = client.post(url(next_campaign, "campaign:definition_copy"),
                        {"code": "NUOCRUT2031", "name": "Lần nữa", "year": "2030"})
    text = again.content.decode()
    assert "Phải sau năm 2030 của phong trào gốc." in text
    assert Campaign.objects.count() == 3


def test_the_copy_page_lists_a_code_in_use(client, cast, next_campaign):
    client.force_login(cast.admin)
    response = client.post(url(next_campaign, "campaign:definition_copy"),
                           {"code": "TEST2025", "name": "Trùng mã", "year": "2031"})
    assert "code: mã TEST2025 đã là của phong trào «Thi đua thử»" in response.content.decode()
    assert Campaign.objects.count() == 2


def test_the_upload_page_creates_a_campaign_or_lists_the_files_errors(client, cast, next_campaign):
    client.force_login(cast.admin)
    with short_urls():
        upload = reverse("campaign:definition_upload")
    bad = SimpleUploadedFile("sai.toml", NEXT.replace("NUOCRUT2030", "NUOCRUT2032")
                             .replace('"70"', '"170"').encode())
    text = client.post(upload, {"file": bad}).content.decode()
    assert "Tệp có 1 lỗi, chưa ghi gì" in text and "periods[1].participant_threshold" in text
    good = SimpleUploadedFile("dung.toml", NEXT.replace("NUOCRUT2030", "NUOCRUT2032").encode())
    response = client.post(upload, {"file": good})
    created = Campaign.objects.get(code="NUOCRUT2032")
    assert response["Location"] == url(created, "campaign:definition")


def test_the_archive_links_each_campaign_to_its_definition_and_the_administrator_to_copy(client, cast, next_campaign):
    client.force_login(cast.admin)
    page = client.get(reverse("archive")).content.decode()
    assert 'href="/phong-trao/NUOCRUT2030/dinh-nghia/"' in page
    assert 'href="/phong-trao/TEST2025/dinh-nghia/sao-chep/"' in page
    assert 'href="/nap-dinh-nghia/"' in page
    client.force_login(cast.compiler)
    page = client.get(reverse("archive")).content.decode()
    assert 'href="/phong-trao/NUOCRUT2030/dinh-nghia/"' in page and "sao-chep" not in page


@pytest.mark.parametrize("name", ["campaign:definition", "campaign:definition_edit"])
def test_the_definition_pages_read_as_many_queries_whatever_the_number_of_periods(
        client, cast, next_campaign, name):
    client.force_login(cast.admin)
    client.get(url(next_campaign, name))  # the session and the caches, once
    with CaptureQueriesContext(connection) as two:
        client.get(url(next_campaign, name))
    for number, first, last in ((3, dt.date(2030, 11, 1), dt.date(2030, 11, 30)),
                                (4, dt.date(2030, 12, 1), dt.date(2030, 12, 31))):
        Period.objects.create(campaign=next_campaign, number=number, name=f"Kỳ {number}",
                              first_day=first, last_day=last, participant_threshold=90,
                              revenue_threshold=90,
                              rollup_due_at=dt.datetime(2031, 1, number, 7, tzinfo=VN))
    PrizeLevel.objects.create(campaign=next_campaign, position=3, key="third", name="Giải Ba",
                              count=3, amount=2_000_000, individuals=1)
    with CaptureQueriesContext(connection) as four:
        client.get(url(next_campaign, name))
    assert len(four) == len(two)
