from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from campaign import plausibility
from campaign.lifecycle import campaign_require_writable
from campaign.models import Campaign, Period
from campaign.scope import campaign_view
from campaign.selectors import current_period, period_report_rows
from rules import engine
from rules.allocation import monthly_prize_ceiling
from rules.formatting import format_number
from units.confirm import confirmation_page, confirmed
from units.models import Role
from units.roles import has_role

from . import access, runs, services, tasks
from .forms import ReopenForm
from .models import RollupRun, Snapshot
from .rollup import provisional_document
from .selectors import document_seen_by, document_shown

RUNS_SHOWN = 20


def _snapshot_campaign(pk: int, **kwargs):
    return Campaign.objects.filter(periods__snapshots__pk=pk).first()


def _period_or_current(request, number: int | None) -> Period | None:
    campaign = request.campaign
    if campaign is None:
        return None
    if number is None:
        return current_period(campaign)
    return get_object_or_404(Period.objects.select_related("campaign"), campaign=campaign, number=number)


# A province has 25-50 units and fits on one page; a national installation (2,400) is paged.
RANKING_PAGE_SIZE = 100


def _render_ranking(request, period: Period, **context):
    document = context["document"] = document_shown(document_seen_by(request.user, context.get("document")))
    standings = document["standings"] if document else []
    page = Paginator(standings, RANKING_PAGE_SIZE).get_page(request.GET.get("trang"))
    # The unit just above a later page's first row, which its explanation may quote.
    above = standings[page.start_index() - 2] if page.number > 1 else None
    is_compiler = context.pop("is_compiler", None)
    if is_compiler is None:
        is_compiler = has_role(request.user, Role.COMPILER)
    return render(request, "scoring/ranking.html", {
        "period": period, "campaign": period.campaign, "periods": period.campaign.periods.all(),
        "scheme_keys": engine.SCHEMES, "is_compiler": is_compiler,
        # A list, read once: the runs' panel reads the latest run and then the history.
        "runs": list(period.rollup_runs.all()[:RUNS_SHOWN]) if is_compiler else [],
        "rollup_refusal": None if period.is_locked else services.rollup_refusal(period),
        "page": page, "row_above": above if above and above.get("rank") else None, **context,
    })


@login_required
@campaign_view
def ranking(request, number: int | None = None):
    """The standings of a period, public inside the office: the stored snapshot once rolled
    up, otherwise a provisional ranking from the figures as they stand."""
    period = _period_or_current(request, number)
    if period is None:
        messages.info(request, "Chưa có phong trào thi đua nào.")
        return redirect("home")
    snapshot = services.current_snapshot(period)
    document, error = (snapshot.document, None) if snapshot else (None, None)
    if document is None:
        try:
            document = provisional_document(period)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return _render_ranking(
        request, period, snapshot=snapshot, document=document, error=error,
        history=period.snapshots.select_related("created_by", "superseded_by").defer("inputs", "document"),
    )


@login_required
@campaign_view(owner=_snapshot_campaign)
def snapshot_detail(request, pk: int):
    snapshot = get_object_or_404(Snapshot.objects.select_related("period__campaign").defer("inputs"), pk=pk)
    return _render_ranking(
        request, snapshot.period, snapshot=snapshot, document=snapshot.document,
        viewing_old=not snapshot.is_current, is_compiler=False,
    )


@login_required
@require_POST
@campaign_view
def rollup(request, number: int):
    """Queue a roll-up of the period (a RollupRun); the page then follows it. With no broker
    (the embedded default) the task runs in-process and the run is finished on redirect."""
    period = _period_or_current(request, number)
    if period is None:
        raise Http404("Chưa có phong trào thi đua nào.")
    access.require_compiler_or_system(request.user)
    runs.expire_stale_runs(now=timezone.now())
    running = period.rollup_runs.active().first()
    if running is not None:
        messages.info(request, f"{period.name} đang được tổng hợp ({running.get_state_display().lower()}); "
                               "trang tự cập nhật khi xong.")
        return redirect("scoring:ranking", number=number)
    if not confirmed(request):
        return confirmation_page(
            request, title=f"tổng hợp và khóa sổ {period.name}",
            consequences=[
                f"Báo cáo đã gửi của các đơn vị được tổng hợp, xếp hạng và lưu làm kết quả "
                f"{period.name}; hồ sơ khen thưởng của kỳ được lập từ kết quả đó.",
                f"{period.name} khóa sổ: các đơn vị không nhập hay sửa được báo cáo kỳ này; báo cáo "
                "chưa gửi không được xếp hạng. Mở lại kỳ phải ghi lý do.",
                *_open_warnings_notice(period),
            ],
            button=f"Xác nhận tổng hợp và khóa sổ {period.name}",
            cancel_url=reverse("scoring:ranking", args=[period.number]),
        )
    run = tasks.run_enqueue(period=period, user=request.user, trigger=Snapshot.Trigger.MANUAL)
    run.refresh_from_db()
    if run.state == RollupRun.State.DONE:
        messages.success(request, f"Đã tổng hợp và khóa sổ {period.name}." if run.created_snapshot
                         else f"{period.name} đã được tổng hợp trước đó; kết quả giữ nguyên.")
    elif run.state == RollupRun.State.FAILED:
        messages.error(request, f"Tổng hợp {period.name} không thành công: {run.message}")
    else:
        messages.info(request, f"Đã gửi yêu cầu tổng hợp {period.name}; trang tự cập nhật khi xong.")
    return redirect("scoring:ranking", number=number)


@login_required
@never_cache
@campaign_view
def rollup_runs(request, number: int):
    """The period's roll-up runs as JSON, for the page to follow a run without reloading:
    `active` (a run is queued or running), `locked`, `runs` and the rendered status block."""
    period = _period_or_current(request, number)
    if period is None:
        raise Http404("Chưa có phong trào thi đua nào.")
    access.require_compiler_or_system(request.user)
    runs = list(period.rollup_runs.all()[:RUNS_SHOWN])
    context = {"period": period, "runs": runs}
    return JsonResponse({
        "period": period.number,
        "locked": period.is_locked,
        "active": any(r.is_active for r in runs),
        "runs": [_run_json(r) for r in runs],
        "html": render_to_string("scoring/_rollup_status.html", context, request=request),
    })


def _open_warnings_notice(period: Period) -> list[str]:
    """What the compiler has not yet checked among the figures about to be rolled up: said,
    never a refusal."""
    rows = [(r.unit, r.report) for r in period_report_rows(period) if r.report and r.report.is_submitted]
    warned = plausibility.period_warnings(period, rows)
    count = plausibility.open_warning_count(warned)
    if not count:
        return []
    units = sum(1 for row in warned if row.open_count)
    return [f"Còn {format_number(count)} cảnh báo số liệu chưa được sửa hay xác nhận, ở "
            f"{format_number(units)} đơn vị (xem trang Báo cáo các đơn vị). Tổng hợp vẫn thực "
            "hiện được; các số liệu đó được tính như đơn vị đã gửi."]


def _run_json(run: RollupRun) -> dict:
    def when(value):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else None

    return {
        "id": run.pk, "state": run.state, "state_label": run.get_state_display(),
        "trigger": run.trigger, "requested_by": run.requested_by_label,
        "created_at": when(run.created_at), "finished_at": when(run.finished_at),
        "message": run.message, "created_snapshot": run.created_snapshot,
        "snapshot_url": reverse("scoring:snapshot", args=[run.snapshot_id]) if run.snapshot_id else None,
    }


@login_required
@require_POST
@campaign_view
def reopen(request, number: int):
    period = _period_or_current(request, number)
    if period is None:
        raise Http404("Chưa có phong trào thi đua nào.")
    access.require_compiler_or_system(request.user)  # 403 before any word about the reason
    form = ReopenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("scoring:ranking", number=number)
    reason = form.cleaned_data["reason"]
    try:
        campaign_require_writable(period.campaign)  # refused before asking to confirm
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("scoring:ranking", number=number)
    if period.is_locked and not confirmed(request):
        return confirmation_page(
            request, title=f"mở lại {period.name}",
            consequences=[
                f"{period.name} mở lại: các đơn vị nhập, sửa và gửi lại được báo cáo kỳ này.",
                f"Kết quả tổng hợp hiện hành được giữ lại, đánh dấu đã thay thế, với lý do: {reason}",
                "Hồ sơ khen thưởng đang xử lý của kỳ bị hủy; hồ sơ mới được lập khi tổng hợp lại. "
                "Hồ sơ đã phê duyệt hoặc đã chi trả thì không mở lại được kỳ.",
            ],
            button=f"Xác nhận mở lại {period.name}",
            cancel_url=reverse("scoring:ranking", args=[period.number]),
        )
    try:
        services.period_reopen(period=period, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã mở lại {period.name}; kết quả cũ được lưu, đánh dấu là đã thay thế.")
    return redirect("scoring:ranking", number=number)


@login_required
@campaign_view
def rules(request):
    campaign = request.campaign
    levels = list(campaign.prize_levels.all()) if campaign else []
    return render(request, "scoring/rules.html", {
        "campaign": campaign,
        "periods": campaign.periods.all() if campaign else [],
        "engine_readings": engine.ENGINE_READINGS,
        "levels": levels,
        "prizes_per_month": sum(level.count for level in levels),
        "monthly_ceiling": monthly_prize_ceiling(levels, campaign.individual_amount) if campaign else 0,
        "rules_version": engine.RULES_VERSION,
        "plausibility_bounds": plausibility.bounds(),
    })
