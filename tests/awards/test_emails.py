"""Each step mails the role that acts next, with an absolute link, once the step is committed."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from awards import services
from awards.models import Dossier
from scoring.services import period_reopen, period_rollup

from .conftest import COUNCIL_DATE, DECISION_DATE, advance, full_dossier, pay_everyone

State = Dossier.State


def last_mail():
    assert mail.outbox, "no e-mail sent"
    return mail.outbox[-1]


def test_rollup_tells_the_compiler_and_the_appraiser(awards_cast, django_capture_on_commit_callbacks, settings):
    from scoring.models import Snapshot

    settings.SITE_URL = "https://thidua.example.vn/"
    with django_capture_on_commit_callbacks(execute=True):
        period_rollup(period=awards_cast.period1, trigger=Snapshot.Trigger.SCHEDULE)
    message = last_mail()
    dossier = Dossier.objects.get(period=awards_cast.period1)
    assert sorted(message.to) == ["appraiser@example.com", "compiler@example.com"]
    assert "Tháng 10/2025" in message.subject
    assert f"https://thidua.example.vn/phong-trao/TEST2025/khen-thuong/ho-so/{dossier.pk}/" in message.body
    assert "Người thực hiện: hệ thống (tổng hợp theo lịch)" in message.body


def test_a_roll_up_by_command_is_not_called_the_schedule(awards_cast, django_capture_on_commit_callbacks):
    from scoring.models import Snapshot

    with django_capture_on_commit_callbacks(execute=True):
        period_rollup(period=awards_cast.period1, trigger=Snapshot.Trigger.COMMAND)
    assert "Người thực hiện: hệ thống (lệnh tổng hợp của quản trị)" in last_mail().body


def test_the_person_who_took_the_step_is_not_mailed_about_it(awards_cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        period_rollup(period=awards_cast.period1, user=awards_cast.compiler)
    assert last_mail().to == ["appraiser@example.com"]


@pytest.mark.parametrize(("step", "to"), [
    ("submit", ["appraiser@example.com"]),
    ("return", ["compiler@example.com"]),
    ("appraise", ["director@example.com"]),
    ("approve", ["finance@example.com"]),
    ("pay", ["compiler@example.com"]),
])
def test_each_step_mails_the_next_role(rolled, django_capture_on_commit_callbacks, step, to):
    dossier = rolled.dossier
    before = {"submit": State.DRAFT, "return": State.SUBMITTED, "appraise": State.SUBMITTED,
              "approve": State.APPRAISED, "pay": State.APPROVED}[step]
    advance(rolled, dossier, before)
    calls = {
        "submit": lambda: services.dossier_submit(user=rolled.compiler, dossier=dossier),
        "return": lambda: services.dossier_return(user=rolled.appraiser, dossier=dossier,
                                                  comment="Thiếu biên bản bình xét của đơn vị"),
        "appraise": lambda: services.dossier_appraise(user=rolled.appraiser, dossier=dossier,
                                                      council_date=COUNCIL_DATE, council_minutes="05/BB"),
        "approve": lambda: services.dossier_approve(user=rolled.director, dossier=dossier,
                                                    decision_number="123/QĐ-BHXH", decision_date=DECISION_DATE),
        "pay": lambda: pay_everyone(rolled, dossier, paid_on=DECISION_DATE),
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        calls[step]()
    assert len(mail.outbox) == 1
    message = last_mail()
    assert message.to == to
    assert f"/khen-thuong/ho-so/{dossier.pk}/" in message.body
    if step == "return":
        assert "Thiếu biên bản bình xét của đơn vị" in message.body


def test_nothing_is_mailed_before_the_commit(rolled, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.dossier_submit(user=rolled.compiler, dossier=rolled.dossier)
    assert len(callbacks) == 1 and mail.outbox == []


def test_a_refused_step_mails_nobody(rolled, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.dossier_approve(user=rolled.director, dossier=rolled.dossier, decision_number="1/QĐ-BHXH",
                                 decision_date=DECISION_DATE)
    assert mail.outbox == []


def test_a_rolled_back_step_mails_nobody(rolled, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.dossier_submit(user=rolled.compiler, dossier=rolled.dossier)
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []


def test_a_reopen_tells_compiler_and_appraiser_the_dossier_is_cancelled(rolled, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        period_reopen(period=rolled.period1, user=rolled.compiler, reason="Sửa số liệu BBB")
    message = last_mail()
    assert message.to == ["appraiser@example.com"]  # the compiler reopened it
    assert "Sửa số liệu BBB" in message.body


def test_users_without_an_address_are_skipped(rolled, django_capture_on_commit_callbacks):
    rolled.appraiser.email = ""
    rolled.appraiser.save()
    mail.outbox.clear()
    full_dossier(rolled)
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_submit(user=rolled.compiler, dossier=rolled.dossier)
    assert mail.outbox == []


def test_a_mail_server_that_stops_answering_cannot_hold_a_step_for_ever(settings):
    from django.core.mail import get_connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert settings.EMAIL_TIMEOUT == 20 and get_connection().timeout == 20


def test_the_mail_names_the_office_in_subject_and_footer_and_is_sent_from_its_address(
        awards_cast, django_capture_on_commit_callbacks):
    from scoring.models import Snapshot
    from units.models import Organisation

    Organisation.objects.create(
        name="Bảo hiểm xã hội tỉnh Thử", short_name="BHXH tỉnh Thử", parent="Bảo hiểm xã hội Việt Nam",
        place="Thử", document_symbol="BHXH", head_title="Giám đốc", email_from="thidua@thu.example.vn",
    )
    with django_capture_on_commit_callbacks(execute=True):
        period_rollup(period=awards_cast.period1, trigger=Snapshot.Trigger.SCHEDULE)
    message = last_mail()
    assert message.subject.startswith("[Thi đua BHXH tỉnh Thử] Hồ sơ khen thưởng Tháng 10/2025")
    assert message.from_email == "thidua@thu.example.vn"
    assert "Hệ thống thi đua, BHXH tỉnh Thử (thư tự động" in message.body
