"""What the official documents print (the memo, the decision and the award list, as PDF by
`awards.pdf` and as Excel by `awards.xlsx`), gathered from one dossier read through
`selectors.dossier_for_page`; and what the campaign summary's report prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from scoring.selectors import period_nominations, province_shown
from units.models import Organisation, Person, Unit

from .models import AwardLine, Dossier, DossierEvent, Individual
from .summary import Summary, budget_used_percent
from .words import amount_in_words, recipients_phrase


@dataclass(frozen=True)
class DocumentIndividual:
    number: int
    individual: Individual
    line: AwardLine


def _event_date(dossier: Dossier, action: str) -> dt.date | None:
    events = [e for e in dossier.events.all() if e.action == action]
    return timezone.localdate(events[-1].at) if events else None


def _signer_name(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    if person is not None:
        return person.full_name
    return user.get_full_name() or user.username


def ladder_text(ladder: list[str], names: dict[str, str]) -> str:
    """The prize structure as the memo states it, two digits in the official style:
    "tối đa 05 tập thể mỗi tháng: 01 giải Nhất, 01 giải Nhì, 03 giải Ba"; `names` are the
    levels' names by key (a snapshot's prize_names)."""
    keys = list(dict.fromkeys(ladder))  # the levels in ladder order, each once
    labels = [names.get(key, key) for key in keys]
    parts = ", ".join(f"{ladder.count(key):02d} {label[:1].lower()}{label[1:]}"
                      for key, label in zip(keys, labels, strict=True))
    return f"tối đa {len(ladder):02d} tập thể mỗi tháng: {parts}"


@dataclass(frozen=True)
class DocumentPeriod:
    number: int
    name: str
    first_day: dt.date
    last_day: dt.date


@dataclass(frozen=True)
class DocumentCampaign:
    code: str
    name: str
    legal_basis: str
    dispatch_number: str = ""
    dispatch_date: dt.date | None = None

    @property
    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]


def documented_period_and_campaign(dossier: Dossier) -> tuple[DocumentPeriod, DocumentCampaign]:
    """The period and campaign as the roll-up saw them (stored in the snapshot), so that a
    document prints what was decided rather than today's settings. Snapshots stored before
    the roll-up kept them fall back to the rows, read-only while the period is locked."""
    applied = dossier.snapshot.applied_settings
    period, campaign = dossier.period, dossier.period.campaign
    stored_period, stored_campaign = applied.get("period"), applied.get("campaign")
    if stored_period:
        documented_period = DocumentPeriod(
            number=stored_period["number"], name=stored_period["name"],
            first_day=dt.date.fromisoformat(stored_period["first_day"]),
            last_day=dt.date.fromisoformat(stored_period["last_day"]),
        )
    else:
        documented_period = DocumentPeriod(number=period.number, name=period.name,
                                           first_day=period.first_day, last_day=period.last_day)
    if stored_campaign:
        stored_date = stored_campaign.get("dispatch_date")
        documented_campaign = DocumentCampaign(
            code=stored_campaign["code"], name=stored_campaign["name"],
            legal_basis=stored_campaign["legal_basis"],
            dispatch_number=stored_campaign.get("dispatch_number", ""),
            dispatch_date=dt.date.fromisoformat(stored_date) if stored_date else None,
        )
    else:
        documented_campaign = DocumentCampaign(
            code=campaign.code, name=campaign.name, legal_basis=campaign.legal_basis,
            dispatch_number=campaign.dispatch_number, dispatch_date=campaign.dispatch_date,
        )
    return documented_period, documented_campaign


def document_context(dossier: Dossier) -> dict:
    """Everything the memo, the decision and the award list print, from one dossier read
    through `dossier_for_page`."""
    lines = list(dossier.lines.all())
    individuals = []
    number = 0
    for line in lines:
        for individual in line.individuals.all():  # initiatives first (R15)
            number += 1
            individuals.append(DocumentIndividual(number=number, individual=individual, line=line))
    collective_total = sum(line.amount for line in lines)
    individual_total = sum(i.individual.amount for i in individuals)
    total = collective_total + individual_total
    snapshot = dossier.snapshot
    document = snapshot.document
    standings = document.get("standings", [])
    collection = Unit.objects.filter(is_collection_department=True).first()
    memo_signer = (
        Person.objects.filter(unit=collection, active=True, title__iexact="Trưởng phòng").first()
        if collection else None
    )
    nominations = {n.unit_id: n for n in period_nominations(dossier.period)}
    period, campaign = documented_period_and_campaign(dossier)
    return {
        "organisation": Organisation.current(),
        "dossier": dossier,
        "period": period,
        "campaign": campaign,
        "is_draft": not dossier.is_decided,
        "lines": lines,
        "line_reasons": {line.pk: nominations[line.unit_id].reason for line in lines
                         if line.unit_id in nominations},
        "individuals": individuals,
        "collective_total": collective_total,
        "individual_total": individual_total,
        "recipients_phrase": recipients_phrase(len(lines), len(individuals)),
        "total": total,
        "total_words": amount_in_words(total),
        "standings": standings,
        "ranked": [row for row in standings if row.get("rank")],
        "not_ranked": [row for row in standings if not row.get("rank")],
        # With what its totals cover: while a report was missing the memo quotes the
        # like-for-like rates, never the totals' as the province's (rules.province).
        "province": province_shown(document),
        "snapshot": snapshot,
        "applied": snapshot.applied_settings,
        "ladder_text": ladder_text(snapshot.applied_settings["ladder"], snapshot.prize_names),
        "collection_department": collection,
        "memo_symbol": f"TTr-{collection.code}" if collection else "TTr",
        # The day the compiler submitted it (the last time, after a return); a draft never
        # submitted is undated, like an unsigned decision, whatever the day it is printed.
        "memo_date": _event_date(dossier, DossierEvent.Action.SUBMITTED),
        "memo_signer": memo_signer.full_name if memo_signer else "",
        "decision_signer": _signer_name(dossier.approved_by) if dossier.is_decided else "",
        # An unsigned decision's (or an unsubmitted memo's) year: the one it can be signed in, from the roll-up on (a
        # December is decided in January), not the campaign's.
        "blank_year": max(timezone.localdate(),
                          timezone.localtime(dossier.period.rollup_due_at).date()).year,
        "exclusions": list(dossier.exclusions.all()),
    }


def summary_document_context(summary: Summary) -> dict:
    """What the campaign summary's report prints (awards.summary): the summary, the office
    (heading, place, signer) and the date. The date is the latest decision's once the summary
    is complete; before that the report is a draft, its day and month left blank as on an
    unsigned decision."""
    complete = summary.complete
    last_due = max((timezone.localtime(m.period.rollup_due_at).date() for m in summary.months), default=None)
    return {
        "organisation": Organisation.current(),
        "summary": summary,
        "campaign": summary.campaign,
        "is_draft": not complete,
        "report_date": summary.as_of if complete else None,
        "blank_year": max(filter(None, (timezone.localdate(), last_due))).year,
        "total_words": amount_in_words(summary.total),
        "budget_used": budget_used_percent(summary),
    }
