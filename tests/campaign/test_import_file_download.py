"""The spreadsheet kept for audit: downloaded through a view that checks the role, linked
from the admin and the preview, never served as a public media URL."""

import pytest
from django.urls import reverse

from campaign.models import ImportBatch

from . import excel_factories as f
from .test_excel_views import body, upload


@pytest.fixture
def batch(client, cast) -> ImportBatch:
    client.force_login(cast.compiler)
    data = f.results_sheet([["AAA", "BHXH cơ sở A", *f.result_values()]])
    upload(client, reverse("excel:upload_results", args=[1]), data, name="kết quả tháng 10.xlsx")
    client.logout()
    batch = ImportBatch.objects.get()
    batch.kept_bytes = data
    return batch


@pytest.mark.parametrize("who", ["compiler", "admin"])
def test_the_compiler_and_the_administrator_download_the_kept_file(client, cast, batch, who):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("excel:batch_file", args=[batch.pk]))
    assert response.status_code == 200
    assert body(response) == batch.kept_bytes
    assert "attachment" in response["Content-Disposition"]
    assert "k%E1%BA%BFt" in response["Content-Disposition"]  # the original name, UTF-8


@pytest.mark.parametrize("who", ["staff_a", "appraiser", "finance", "director"])
def test_other_roles_get_403(client, cast, batch, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("excel:batch_file", args=[batch.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, batch):
    response = client.get(reverse("excel:batch_file", args=[batch.pk]))
    assert response.status_code == 302 and reverse("login") in response.url


def test_the_admin_links_the_download_view_not_the_media_url(client, cast, batch):
    client.force_login(cast.admin)
    page = client.get(reverse("admin:campaign_importbatch_change", args=[batch.pk])).content.decode()
    link = reverse("excel:batch_file", args=[batch.pk])
    assert f'href="{link}"' in page
    assert "/media/" not in page
    assert client.get(link).status_code == 200  # the link works


def test_the_media_url_of_the_file_is_not_served(client, cast, batch):
    client.force_login(cast.admin)
    assert client.get(batch.file.url).status_code == 404


def test_a_cancelled_imports_file_is_gone_and_says_so(client, cast, batch,
                                                      django_capture_on_commit_callbacks):
    client.force_login(cast.compiler)
    with django_capture_on_commit_callbacks(execute=True):  # the file is dropped on commit
        client.post(reverse("excel:cancel", args=[batch.pk]))
    assert client.get(reverse("excel:batch_file", args=[batch.pk])).status_code == 404


def test_the_preview_links_the_kept_file(client, cast, batch):
    client.force_login(cast.compiler)
    page = client.get(reverse("excel:preview", args=[batch.pk])).content.decode()
    assert reverse("excel:batch_file", args=[batch.pk]) in page
