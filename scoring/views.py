from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from campaign.models import Period
from campaign.selectors import current_campaign, current_period
from scoring import engine
from units.models import Role
from units.roles import has_role

from . import services
from .models import Snapshot
from .rollup import build_rollup


def _period_or_current(number: int | None) -> Period | None:
    campaign = current_campaign()
    if campaign is None:
        return None
    if number is None:
        return current_period(campaign)
    return get_object_or_404(Period.objects.select_related("campaign"), campaign=campaign, number=number)


def _render_ranking(request, period: Period, **context):
    return render(request, "scoring/ranking.html", {
        "period": period, "campaign": period.campaign, "periods": period.campaign.periods.all(),
        "scheme_keys": engine.SCHEMES, "is_compiler": has_role(request.user, Role.COMPILER),
        **context,
    })


@login_required
def ranking(request, number: int | None = None):
    """The standings of a period, public inside the office: the stored snapshot once rolled
    up, otherwise a provisional ranking from the figures as they stand."""
    period = _period_or_current(number)
    if period is None:
        messages.info(request, "Chưa có phong trào thi đua nào.")
        return redirect("home")
    snapshot = services.current_snapshot(period)
    document, error = (snapshot.document, None) if snapshot else (None, None)
    if document is None:
        try:
            document = build_rollup(period).document
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return _render_ranking(
        request, period, snapshot=snapshot, document=document, error=error,
        history=period.snapshots.select_related("created_by", "superseded_by"),
    )


@login_required
def snapshot_detail(request, pk: int):
    snapshot = get_object_or_404(Snapshot.objects.select_related("period__campaign"), pk=pk)
    return _render_ranking(
        request, snapshot.period, snapshot=snapshot, document=snapshot.document,
        viewing_old=not snapshot.is_current, is_compiler=False,
    )


@login_required
@require_POST
def rollup(request, number: int):
    period = _period_or_current(number)
    try:
        snapshot, created = services.period_rollup(period=period, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Đã tổng hợp và khóa sổ {period.name}." if created
            else f"{period.name} đã được tổng hợp trước đó; kết quả giữ nguyên.",
        )
    return redirect("scoring:ranking", number=number)


@login_required
@require_POST
def reopen(request, number: int):
    period = _period_or_current(number)
    try:
        services.period_reopen(period=period, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã mở lại {period.name}; kết quả cũ được lưu, đánh dấu là đã thay thế.")
    return redirect("scoring:ranking", number=number)


@login_required
def rules(request):
    campaign = current_campaign()
    return render(request, "scoring/rules.html", {
        "campaign": campaign,
        "periods": campaign.periods.all() if campaign else [],
        "engine_readings": engine.ENGINE_READINGS,
        "rules_version": engine.RULES_VERSION,
    })
