from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from awards.selectors import budget_overview, current_dossier
from campaign.access import access_unit_reports, unit_panels_open_to
from campaign.scope import campaign_served, campaign_urls, campaign_view
from campaign.selectors import current_of, current_period
from scoring.selectors import document_seen_by, document_shown
from scoring.xlsx import export_standings
from units.models import Organisation
from units.roles import user_unit

from . import selectors, worklist

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _chosen(request, campaign):
    """The period and unit kind picked by the filters (defaults: the open period, local offices)."""
    views = selectors.period_views(campaign)
    number = request.GET.get("ky")
    default = current_of([v.period for v in views])
    chosen = next((v for v in views if str(v.period.number) == number), None) or next(
        (v for v in views if default and v.period.pk == default.pk), views[-1] if views else None
    )
    kind = request.GET.get("loai", "local_office")
    if kind not in selectors.KINDS:
        kind = "local_office"
    return views, chosen, kind


@login_required
@campaign_view
def dashboard(request):
    """The ranking at a glance: public inside the office, so every logged-in role sees it."""
    campaign = request.campaign
    if campaign is None:
        messages.info(request, "Chưa có phong trào thi đua nào.")
        return redirect("home")
    views, chosen, kind = _chosen(request, campaign)
    document = document_shown(document_seen_by(request.user, chosen.document)) if chosen else None
    rows = selectors.filtered_rows(document, kind) if document else []
    not_submitted = [r for r in document["standings"] if r["report"] != "submitted"] if document else []
    own = (document or {}).get("province") and document["province"]["coverage"].get("department")
    if own in ("draft", "missing"):  # the collection department's own part is in the totals too
        not_submitted.append({"name": f"{document['province']['name']} (phần trực tiếp quản lý)",
                              "report": own})
    return render(request, "dashboard/dashboard.html", {
        "campaign": campaign, "views": views, "chosen": chosen, "kind": kind,
        "kinds": selectors.KINDS, "document": document,
        "rows": rows[: selectors.TABLE_ROWS], "more_rows": max(0, len(rows) - selectors.TABLE_ROWS),
        "not_submitted": not_submitted[: selectors.TABLE_ROWS], "not_submitted_count": len(not_submitted),
        "charts": selectors.scheme_charts(document) if document else [],
        "trend": selectors.trend(views),
        "scheme_keys": ("mandatory", "voluntary", "health"),
        "dossier": current_dossier(chosen.period) if chosen else None,
        "budget": budget_overview(campaign, periods=[v.period for v in views]),
        "panels_open": unit_panels_open_to(request.user),
    })


@login_required
@campaign_view
def dashboard_export(request):
    campaign = request.campaign
    if campaign is None:
        raise Http404("Chưa có phong trào thi đua nào.")
    _, chosen, kind = _chosen(request, campaign)
    if chosen is None or chosen.document is None:
        raise Http404("Kỳ này chưa có số liệu để xuất.")
    state = "tạm tính" if chosen.provisional else "đã tổng hợp"
    document = document_shown(document_seen_by(request.user, chosen.document))
    content = export_standings(
        document, rows=selectors.filtered_rows(document, kind),
        title=f"Kết quả thi đua {chosen.period.name} ({state})",
        subtitle=f"{campaign.name} · {selectors.KINDS[kind]}", organisation=Organisation.current(),
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="xep-hang-{campaign.code}-ky-{chosen.period.number}.xlsx"'
    )
    return response


@login_required
@campaign_view
def own_panel(request):
    unit = user_unit(request.user)
    if unit is None or not unit.reports_figures:
        messages.info(request, "Tài khoản không gắn với đơn vị báo cáo số liệu nào (BHXH cơ sở "
                               "hoặc Phòng Quản lý thu).")
        return redirect("dashboard:dashboard")
    return redirect("dashboard:unit_panel", unit_code=unit.code)


@login_required
@campaign_view
def unit_panel(request, unit_code: str):
    """A unit's own figures across the periods and what it still needs; staff see only theirs."""
    unit = access_unit_reports(user=request.user, unit_code=unit_code, write=False)
    campaign = request.campaign
    if campaign is None:
        return redirect("home")
    target, panels = selectors.unit_panel(campaign, unit)
    open_period = current_period(campaign)
    record = []
    for other, months in selectors.unit_record(unit):
        with campaign_urls(other):
            record.append({"campaign": other, "months": months,
                           "url": reverse("dashboard:unit_panel", args=[unit.code])})
    return render(request, "dashboard/unit_panel.html", {
        "campaign": campaign, "unit": unit, "target": target, "panels": panels, "record": record,
        "focus": next((p for p in panels if open_period and p.period.pk == open_period.pk), None),
    })


@login_required
@campaign_served
def home(request):
    """What waits for this person, each step a link with its deadline; the campaign's state
    (the one named by the address, else the one being served)."""
    campaign = request.campaign
    periods = list(campaign.periods.order_by("number")) if campaign else []
    period = next((p for p in periods if not p.is_locked), periods[-1] if periods else None)
    items = worklist.items_for(request.user, campaign)
    return render(request, "dashboard/home.html", {
        "campaign": campaign, "period": period, "unit": user_unit(request.user),
        "ended": bool(periods) and all(p.is_locked for p in periods),
        "items": [i for i in items if not i.done], "done": [i for i in items if i.done],
        "nav_waiting": worklist.waiting_count(items),
    })
