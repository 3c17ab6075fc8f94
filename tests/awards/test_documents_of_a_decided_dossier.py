"""The documents of a decided dossier print what was decided: the period and campaign as the
roll-up stored them, not the rows as edited since."""

import datetime as dt

from awards import documents, pdf, selectors
from awards.models import Dossier
from campaign.models import Campaign, Period
from scoring.services import period_rollup

from .conftest import advance
from .test_pdf import pdf_text, single_spaced


def test_a_paid_dossiers_memo_keeps_the_period_and_legal_basis_it_was_decided_on(awards_cast):
    rolled = awards_cast
    Campaign.objects.filter(pk=rolled.campaign.pk).update(legal_basis="Căn cứ Kế hoạch số 1/KH-BHXH;")
    # The roll-up stores what it saw; the dossier is then decided and paid.
    period_rollup(period=rolled.period1, user=rolled.compiler)
    rolled.dossier = Dossier.objects.get(period=rolled.period1)
    advance(rolled, rolled.dossier, Dossier.State.PAID)
    # Later edits that bypass every check of the model (a raw update), and a campaign edit,
    # which the admin allows: neither may reach the issued documents.
    Period.objects.filter(pk=rolled.period1.pk).update(
        last_day=dt.date(2025, 11, 30), name="Tháng 10 và 11/2025")
    Campaign.objects.filter(pk=rolled.campaign.pk).update(
        name="Tên mới", legal_basis="Căn cứ Kế hoạch số 99/KH-BHXH;")
    context = documents.document_context(selectors.dossier_for_page(rolled.dossier.pk))
    assert context["period"].last_day == dt.date(2025, 10, 31)
    assert context["period"].name == "Tháng 10/2025"
    assert context["campaign"].legal_basis == "Căn cứ Kế hoạch số 1/KH-BHXH;"
    memo = single_spaced(pdf_text(pdf.memo_pdf(context)))
    assert "lũy kế đến ngày 31/10/2025" in memo
    assert "30/11/2025" not in memo and "99/KH" not in memo
    decision = single_spaced(pdf_text(pdf.decision_pdf(context)))
    assert "Tên mới" not in decision and "Tháng 10 và 11" not in decision


def test_a_snapshot_stores_the_period_and_campaign_it_was_rolled_up_for(rolled):
    applied = rolled.dossier.snapshot.applied_settings
    assert applied["period"] == {"number": 1, "name": "Tháng 10/2025",
                                 "first_day": "2025-10-01", "last_day": "2025-10-31"}
    assert applied["campaign"]["code"] == rolled.campaign.code
