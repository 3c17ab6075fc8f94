"""The office as data (units.Organisation): one row, edited in the admin, never deleted."""

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError
from django.test import Client

from units.models import Organisation

pytestmark = pytest.mark.django_db

OFFICE = {
    "name": "Bảo hiểm xã hội tỉnh Thử", "short_name": "BHXH tỉnh Thử",
    "parent": "Bảo hiểm xã hội Việt Nam", "place": "Thử", "document_symbol": "BHXH",
    "head_title": "Giám đốc", "head_name": "Nguyễn Văn A",
}


def test_an_installation_without_an_office_yet_says_it_is_missing():
    office = Organisation.current()
    assert office.pk is None
    assert office.name == "(chưa khai báo cơ quan)"


def test_the_saved_office_is_the_current_one_and_gives_the_decision_symbol():
    Organisation.objects.create(**OFFICE)
    office = Organisation.current()
    assert office.name == "Bảo hiểm xã hội tỉnh Thử"
    assert office.decision_symbol == "QĐ-BHXH"


def test_a_second_office_row_is_refused_by_the_database():
    Organisation.objects.create(**OFFICE)
    with pytest.raises(IntegrityError):
        Organisation.objects.create(**{**OFFICE, "name": "Khác"})


def test_the_admin_edits_the_office_but_cannot_add_a_second_or_delete_it():
    office = Organisation.objects.create(**OFFICE)
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw-123456"))
    assert client.get("/admin/units/organisation/add/").status_code == 403
    assert client.get(f"/admin/units/organisation/{office.pk}/delete/").status_code == 403
    assert client.get(f"/admin/units/organisation/{office.pk}/change/").status_code == 200


def test_the_demo_loads_the_office_with_the_director_as_signer():
    from campaign.demo import demo_load

    demo_load()
    office = Organisation.current()
    assert office.place and office.document_symbol == "BHXH"
    assert office.head_title == "Giám đốc" and office.head_name


def test_pages_and_the_admin_header_name_the_office_entered_and_follow_a_rename():
    office = Organisation.objects.create(**OFFICE)
    admin = User.objects.create_superuser("quantri", "qt@example.com", "x")
    client = Client()
    client.force_login(admin)
    page = client.get("/dang-nhap/").content.decode()
    assert "– BHXH tỉnh Thử</title>" in page and "Thi đua BHXH tỉnh Thử</a>" in page
    office.short_name = "BHXH tỉnh Mới"
    office.save()
    assert "Thi đua BHXH tỉnh Mới" in client.get("/admin/").content.decode()


def test_the_admin_header_before_an_office_is_entered_is_neutral():
    admin = User.objects.create_superuser("quantri", "qt@example.com", "x")
    client = Client()
    client.force_login(admin)
    assert "Quản trị thi đua" in client.get("/admin/").content.decode()


def test_mail_subject_and_sender_come_from_the_office_else_the_installation(settings):
    from units.mail import mail_sender, mail_subject

    settings.DEFAULT_FROM_EMAIL = "he-thong@example.vn"
    assert mail_subject("Nhắc gửi báo cáo") == "[Thi đua] Nhắc gửi báo cáo"
    assert mail_sender() == "he-thong@example.vn"
    Organisation.objects.create(**OFFICE, email_from="thidua@thu.example.vn")
    assert mail_subject("Nhắc gửi báo cáo") == "[Thi đua BHXH tỉnh Thử] Nhắc gửi báo cáo"
    assert mail_sender() == "thidua@thu.example.vn"


def test_the_error_page_renders_without_a_request_or_the_database_and_names_no_office():
    from django.template import loader

    # Django's server_error renders 500.html with no context: no processor, no query.
    html = loader.get_template("500.html").render()
    assert "<title>Lỗi hệ thống – Thi đua</title>" in html
