from decimal import Decimal

from django.urls import reverse

from campaign.models import Campaign, Period
from rules.engine import ENGINE_READINGS

from ..conftest import set_level


def test_rules_page_shows_the_default_settings_and_every_reading(client, cast):
    client.force_login(cast.staff_a)
    page = client.get(reverse("scoring:rules")).content.decode()
    assert "(81 %, 91 %, 100 %)" in page
    assert "05/11/2025" in page
    assert "Giải Nhất 5.000.000, Giải Nhì 3.000.000, Giải Ba 2.000.000 đồng một tập thể" in page
    assert "tối đa 5: 1 Giải Nhất, 1 Giải Nhì, 3 Giải Ba" in page
    assert "3 người cho tập thể Giải Nhất, 2 người cho tập thể Giải Nhì, 1 người cho tập thể Giải Ba" in page
    assert "tối đa 18.000.000 đồng một tháng" in page  # 5+3+3×2 million + (3+2+3×1) × 500.000
    assert "54.000.000" in page
    assert page.count("Cách hiểu:") >= 3  # the readings of R2, R3, R6
    for reading in ENGINE_READINGS:
        assert reading[:30] in page


def test_rules_page_follows_the_campaigns_settings(client, cast):
    Period.objects.filter(campaign=cast.campaign, number=2).update(participant_threshold=Decimal("91.5"))
    Campaign.objects.filter(pk=cast.campaign.pk).update(individual_amount=400_000)
    set_level(cast.campaign, "first", amount=6_000_000)
    set_level(cast.campaign, "third", count=2)
    client.force_login(cast.staff_a)
    page = client.get(reverse("scoring:rules")).content.decode()
    assert "(81 %, 91,5 %, 100 %)" in page
    assert "Giải Nhất 6.000.000, Giải Nhì 3.000.000, Giải Ba 2.000.000 đồng một tập thể" in page
    assert "tối đa 4: 1 Giải Nhất, 1 Giải Nhì, 2 Giải Ba" in page
    # 6 + 3 + 2×2 million + (3 + 2 + 2×1) × 400.000 = 15.800.000
    assert "tối đa 15.800.000 đồng một tháng" in page


def test_rules_page_prints_the_campaigns_year_baseline_dispatch_and_rules_version(client, cast):
    import datetime as dt

    from rules.engine import RULES_VERSION
    from units.models import Organisation

    Organisation.objects.create(
        name="Bảo hiểm xã hội tỉnh Thử Nghiệm", short_name="BHXH tỉnh Thử Nghiệm",
        parent="Bảo hiểm xã hội Việt Nam", place="Thử Nghiệm", document_symbol="BHXH",
        head_title="Giám đốc",
    )
    Campaign.objects.filter(pk=cast.campaign.pk).update(
        year=2031, baseline_date=dt.date(2030, 6, 30), dispatch_number="77/BHXH-TCHC",
        dispatch_date=dt.date(2031, 9, 1), legal_basis="Luật Thi đua, khen thưởng\nNghị định thử",
    )
    client.force_login(cast.staff_a)
    page = client.get(reverse("scoring:rules")).content.decode()
    assert "số thu từ 01/01/2031" in page
    assert "kế hoạch giao năm 2031 − số người tham gia đến ngày chốt 30/06/2030" in page
    assert "công văn số 77/BHXH-TCHC ngày 01/09/2031" in page
    assert "Giám đốc Bảo hiểm xã hội tỉnh Thử Nghiệm" in page
    assert "<li>Nghị định thử</li>" in page
    assert f"Phiên bản quy tắc</dt><dd class=\"col-sm-8\">{RULES_VERSION}</dd>" in page
    assert "31/12/2024" not in page and "01/01/2025" not in page
