"""Campaigns as data: write a campaign from its definition, read one back, copy one for the
next year. The definition file's format and checks are in campaign/definition.py."""

from __future__ import annotations

import calendar
import hashlib
import tomllib
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .access import require_campaign_definer
from .definition import (
    Definition,
    DefinitionError,
    PeriodDef,
    Prize,
    dump,
    launch_too_early,
    parse,
)
from .lifecycle import campaign_require_not_started
from .models import Campaign, Period, PrizeLevel

CAMPAIGN_FIELDS = (
    "name", "year", "launch_date", "end_date", "baseline_date", "tie_decimals", "budget",
    "individual_amount", "dispatch_number", "dispatch_date",
)
# What a locked period's snapshot and documents rest on: never changed once it is locked.
LOCKED_PERIOD_FIELDS = ("first_day", "last_day", "participant_threshold", "revenue_threshold")
PERIOD_FIELDS = ("name", *LOCKED_PERIOD_FIELDS, "rollup_due_at")
# What is said changed is named by the file's key, as the edit page labels its inputs.
FILE_KEYS = {"dispatch_number": "dispatch.number", "dispatch_date": "dispatch.date",
             "rollup_due_at": "rollup_due"}


@dataclass
class LoadResult:
    campaign: Campaign
    created: bool
    changed: list[str]
    warnings: list[str] = field(default_factory=list)


def definition_of(campaign: Campaign) -> Definition:
    """The campaign as stored, in the definition's terms (what `campaign_dump` writes)."""
    return Definition(
        code=campaign.code, name=campaign.name, year=campaign.year,
        launch_date=campaign.launch_date, end_date=campaign.end_date,
        baseline_date=campaign.baseline_date, tie_decimals=campaign.tie_decimals,
        budget=campaign.budget, individual_amount=campaign.individual_amount,
        legal_basis=tuple(campaign.legal_basis_lines),
        dispatch_number=campaign.dispatch_number, dispatch_date=campaign.dispatch_date,
        prizes=tuple(
            Prize(key=p.key, name=p.name, count=p.count, amount=p.amount, individuals=p.individuals)
            for p in campaign.prize_levels.order_by("position")
        ),
        periods=tuple(
            PeriodDef(
                number=p.number, name=p.name, first_day=p.first_day, last_day=p.last_day,
                participant_threshold=p.participant_threshold,
                revenue_threshold=p.revenue_threshold, rollup_due=p.rollup_due_at,
            )
            for p in campaign.periods.order_by("number")
        ),
    )


def _campaign_values(d: Definition) -> dict:
    values = {name: getattr(d, name) for name in CAMPAIGN_FIELDS}
    values["legal_basis"] = "\n".join(d.legal_basis)
    return values


def _period_values(p: PeriodDef) -> dict:
    return {
        "name": p.name, "first_day": p.first_day, "last_day": p.last_day,
        "participant_threshold": p.participant_threshold,
        "revenue_threshold": p.revenue_threshold, "rollup_due_at": p.rollup_due,
    }


@transaction.atomic
def campaign_load(*, definition: Definition) -> LoadResult:
    """Create the campaign, or bring an existing one to the definition.

    Preconditions (all checked before anything is written; DefinitionError lists every one
    that fails): a locked period keeps its dates and thresholds, since its snapshot and its
    documents rest on them; a period that is locked or already has reports is not removed.
    Everything else of an existing campaign follows the file: open periods, the ladder, the
    amounts, the wording. Values that already match are not written again.
    """
    campaign = Campaign.objects.select_for_update().filter(code=definition.code).first()
    if campaign is None:
        campaign = Campaign.objects.create(code=definition.code, **_campaign_values(definition))
        for p in definition.periods:
            Period.objects.create(campaign=campaign, number=p.number, **_period_values(p))
        _write_ladder(campaign, definition.prizes)
        return LoadResult(campaign, True, ["tạo mới"])

    existing = {p.number: p for p in campaign.periods.all()}
    errors = _locked_conflicts(definition, existing)
    if errors:
        raise DefinitionError(errors)

    changed = []
    values = _campaign_values(definition)
    differing = [name for name, value in values.items() if getattr(campaign, name) != value]
    if differing:
        for name in differing:
            setattr(campaign, name, values[name])
        campaign.full_clean()
        campaign.save()
        changed += [FILE_KEYS.get(name, name) for name in differing]
    wanted_numbers = {p.number for p in definition.periods}
    for number in sorted(set(existing) - wanted_numbers):
        existing[number].delete()
        changed.append(f"bỏ kỳ {number}")
    for p in definition.periods:
        period, values = existing.get(p.number), _period_values(p)
        if period is None:
            Period.objects.create(campaign=campaign, number=p.number, **values)
            changed.append(f"thêm kỳ {p.number}")
            continue
        # Aware datetimes compare as instants: the file's +07:00 equals the stored UTC.
        differing = [name for name, value in values.items() if getattr(period, name) != value]
        if differing:
            for name in differing:
                setattr(period, name, values[name])
            period.save()
            changed.append(f"kỳ {p.number}: " + ", ".join(FILE_KEYS.get(n, n) for n in differing))
    if tuple(definition_of(campaign).prizes) != definition.prizes:
        _write_ladder(campaign, definition.prizes)
        changed.append("thang giải")
    return LoadResult(campaign, False, changed)


def _locked_conflicts(definition: Definition, existing: dict[int, Period]) -> list[str]:
    errors = []
    wanted = {p.number: p for p in definition.periods}
    for number, period in sorted(existing.items()):
        new = wanted.get(number)
        label = f"periods[{number}]"
        if new is None:
            if period.is_locked or period.reports.exists():
                errors.append(f"{label}: kỳ {number} đã khóa hoặc đã có báo cáo, không bỏ được.")
            continue
        if not period.is_locked:
            continue
        values = _period_values(new)
        for name in LOCKED_PERIOD_FIELDS:
            if getattr(period, name) != values[name]:
                errors.append(
                    f"{label}.{name}: kỳ {number} đã tổng hợp và khóa; số liệu, kết quả và văn bản "
                    "của kỳ dựa trên giá trị này nên không sửa được."
                )
    return errors


def _write_ladder(campaign: Campaign, prizes: tuple[Prize, ...]) -> None:
    campaign.prize_levels.all().delete()
    PrizeLevel.objects.bulk_create([
        PrizeLevel(campaign=campaign, position=position, key=p.key, name=p.name, count=p.count,
                   amount=p.amount, individuals=p.individuals)
        for position, p in enumerate(prizes, start=1)
    ])


def _shift(day, years: int):
    """The same day `years` later. A month's last day stays its month's last day (28/02 of a
    common year → 29/02 of a leap one, and back), so consecutive periods stay consecutive."""
    last = calendar.monthrange(day.year, day.month)[1]
    target_last = calendar.monthrange(day.year + years, day.month)[1]
    target_day = target_last if day.day == last else min(day.day, target_last)
    return day.replace(year=day.year + years, day=target_day)


def copy_definition(source: Definition, *, code: str, name: str, years: int = 1) -> Definition:
    """The next campaign of the same kind: every date `years` later (a year by default), the
    same ladder and thresholds, no launching dispatch yet; targets are not part of a definition
    and so are never copied. Period names follow the year ("Tháng 10/…")."""
    year = source.year + years
    shifted = tuple(
        replace(p, first_day=_shift(p.first_day, years), last_day=_shift(p.last_day, years),
                rollup_due=_shift(p.rollup_due, years),
                name=p.name.replace(str(source.year), str(year)))
        for p in source.periods
    )
    return replace(
        source, code=code, name=name, year=year,
        launch_date=_shift(source.launch_date, years), end_date=_shift(source.end_date, years),
        baseline_date=_shift(source.baseline_date, years),
        dispatch_number="", dispatch_date=None, periods=shifted,
    )


# --- the app's writes: the administrator, a campaign still to start ---------------------------


def definition_fingerprint(campaign: Campaign) -> str:
    """What the edit page saw: a digest of the stored definition, posted back with the form."""
    return hashlib.sha256(dump(definition_of(campaign)).encode()).hexdigest()[:20]


STALE_DEFINITION = (
    "Định nghĩa của phong trào đã được thay đổi (trong trang này, qua tệp nạp lên hoặc trang quản "
    "trị) sau khi anh/chị mở trang, hoặc trang không cho biết đã mở phiên bản nào. Chưa có gì "
    "được ghi; hãy mở lại trang sửa để xem bản mới rồi sửa lại."
)


@transaction.atomic
def campaign_define(*, user, definition: Definition, campaign: Campaign | None = None,
                    shown: str | None = None, warnings: list[str] | None = None) -> LoadResult:
    """Write a definition from the app (the edit page, an uploaded file): `campaign_load`, for
    the administrator only, and only for a campaign that has not started, created or updated.

    Preconditions: the user is the administrator (`require_campaign_definer`); a campaign of
    that code, if any, has not started (`campaign_require_not_started`, a ValidationError);
    the definition launches after today (a DefinitionError naming `launch_date`), so what the
    app writes can still be corrected before the units are measured against it. `campaign`,
    when given (the edit page), is the one the definition must keep: its code is not changed;
    and `shown`, the `definition_fingerprint` the page was built from, must still be the
    stored one (missing counts as stale), so a second editor's save is not silently undone.
    """
    require_campaign_definer(user)
    if campaign is not None and definition.code != campaign.code:
        raise DefinitionError([f"code: trang này sửa phong trào {campaign.code}; mã không đổi được."])
    existing = Campaign.objects.select_for_update().filter(code=definition.code).first()
    if existing is not None:
        campaign_require_not_started(existing)
        if campaign is not None and shown != definition_fingerprint(existing):
            raise ValidationError(STALE_DEFINITION)
    today = timezone.localdate()
    if definition.launch_date <= today:
        raise DefinitionError([f"launch_date: {launch_too_early(definition.launch_date, today)}"])
    result = campaign_load(definition=definition)
    result.warnings = list(warnings or [])
    return result


def copy_years(source: Campaign, *, today=None) -> int:
    """How many years after `source` its copy is put by default: the first that launches
    after today (one, unless the copy is made more than a year on)."""
    today = today or timezone.localdate()
    years = 1
    while _shift(source.launch_date, years) <= today:
        years += 1
    return years


@transaction.atomic
def campaign_copy(*, user, source: Campaign, code: str, name: str, years: int = 1) -> LoadResult:
    """Create the next campaign as a copy of `source` (`copy_definition`): every date `years`
    later, the same periods, thresholds, ladder, amounts, budget and legal basis, no dispatch
    and no targets. The copy is checked as a file would be (its code and name included) and
    every error is raised at once; a code already in use is one of them."""
    require_campaign_definer(user)
    code, name = (code or "").strip(), (name or "").strip()
    copy = copy_definition(definition_of(source), code=code, name=name, years=years)
    parsed = parse(dump(copy), launch_after=timezone.localdate())
    errors = list(parsed.errors)
    taken = Campaign.objects.filter(code=code).first() if code else None
    if taken is not None:
        errors.insert(0, f"code: mã {code} đã là của phong trào «{taken.name}»; hãy chọn mã khác.")
    if errors:
        raise DefinitionError(errors)
    result = campaign_load(definition=parsed.definition)
    result.warnings = parsed.warnings
    return result


UPLOAD_MAX_BYTES = 256 * 1024


def campaign_upload(*, user, data: bytes) -> LoadResult:
    """An uploaded definition file, with `campaign_load`'s meaning: it creates the campaign its
    `code` names, or updates that campaign if it has not started. A file over a started
    campaign is refused first, in those words, rather than with the launch date's error."""
    require_campaign_definer(user)
    if len(data) > UPLOAD_MAX_BYTES:
        raise DefinitionError([f"Tệp quá lớn ({len(data):,} byte); một tệp định nghĩa chỉ vài "
                               "nghìn byte.".replace(",", ".")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DefinitionError(["Tệp không phải văn bản UTF-8: hãy lưu tệp .toml với mã UTF-8."]) from None
    try:
        code = tomllib.loads(text).get("code")
    except tomllib.TOMLDecodeError:
        code = None
    existing = Campaign.objects.filter(code=code).first() if isinstance(code, str) else None
    if existing is not None:
        campaign_require_not_started(existing)
    parsed = parse(text, launch_after=timezone.localdate())
    if parsed.definition is None:
        raise DefinitionError(parsed.errors)
    return campaign_define(user=user, definition=parsed.definition, warnings=parsed.warnings)
