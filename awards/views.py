"""Thin views: the access helper, a form, one service call, redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campaign.lifecycle import campaign_is_finished
from campaign.models import Campaign
from campaign.scope import campaign_view
from rules.formatting import format_money
from scoring.models import Nomination
from units.confirm import confirmation_page, confirmed
from units.models import Organisation

from . import access, documents, selectors, services, summary
from .forms import (
    TRANSITION_FORMS,
    CandidateForm,
    IndividualEditForm,
    IndividualForm,
    MoveForm,
    NominationForm,
    PaymentCancelForm,
    PaymentForm,
    ReasonForm,
    VerifyForm,
)
from .models import AwardLine, DossierEvent, Individual
from .words import recipients_phrase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields and form.fields[field].label else ""
        for error in errors:
            # "Số quyết định «abc» không đúng dạng…" names its field already.
            named = not label or error.lower().startswith(label.lower())
            messages.error(request, error if named else f"{label}: {error}")


def _run(request, call, success: str) -> bool:
    """Call a service; a ValidationError becomes messages (nothing was changed). A change of
    the proposal that took individuals off with a prize (a list of names) says so."""
    try:
        result = call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    if isinstance(result, list) and result:
        messages.warning(request, f"Kèm theo đó đã bỏ {len(result)} cá nhân được đề nghị của "
                                  f"đơn vị không còn giải tập thể: {', '.join(result)} "
                                  "(xem lịch sử điều chỉnh).")
    return True


def _dossier_campaign(pk: int, **kwargs):
    return Campaign.objects.filter(periods__dossiers__pk=pk).first()


dossier_view = campaign_view(owner=_dossier_campaign)


def _back(dossier_pk: int):
    return redirect("awards:dossier", pk=dossier_pk)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- pages ----------------------------------------------------------------------------------------

@login_required
@campaign_view
def dossier_list(request):
    access.require_action(request.user, access.READ)
    campaign = request.campaign
    return render(request, "awards/dossier_list.html", {
        "campaign": campaign,
        "dossiers": selectors.dossier_rows(campaign),
        "periods": campaign.periods.order_by("number") if campaign else [],
    })


@login_required
@dossier_view
def dossier_detail(request, pk: int):
    access.access_dossier(user=request.user, pk=pk)
    dossier = selectors.dossier_for_page(pk)
    user = request.user
    may_edit = access.may(user, access.EDIT) and dossier.is_editable
    context = {
        "dossier": dossier,
        "period": dossier.period,
        "campaign": dossier.period.campaign,
        "total": dossier.collective_total + dossier.individual_total,
        "candidates": selectors.candidates(dossier),
        "may_edit": may_edit,
        "transitions": [
            {"name": t.name, "label": t.label, "form": TRANSITION_FORMS[t.name](prefix=t.name)}
            for t in services.TRANSITIONS.values()
            if t.allowed_from(dossier.state) and access.may(user, t.name)
        ],
        "province": dossier.snapshot.document.get("province"),
        "ladder": dossier.snapshot.applied_settings["ladder"],  # as at the roll-up (R14)
        "prize_names": dossier.snapshot.prize_names,
        "return_comment": next(
            (e.comment for e in reversed(list(dossier.events.all())) if e.action == DossierEvent.Action.RETURNED), ""
        ),
    }
    if may_edit:
        context["nomination_form"] = NominationForm(departments=selectors.nominable_departments(dossier))
        context["people"] = selectors.people_for_lines(dossier)
    if dossier.is_decided:
        writable = not campaign_is_finished(dossier.period.campaign)
        context |= {
            "recipients": selectors.recipients_of([dossier.pk]).get(dossier.pk, []),
            "cancelled_payments": selectors.cancelled_payments(dossier),
            "may_pay": writable and dossier.state == dossier.State.APPROVED and access.may(user, access.PAY),
            "may_unpay": writable and access.may(user, access.UNPAY),
            "payment_form": PaymentForm(prefix=None),
        }
    return render(request, "awards/dossier_detail.html", context)


@login_required
@campaign_view
def budget(request):
    access.require_action(request.user, access.READ)
    campaign = request.campaign
    return render(request, "awards/budget.html", {
        "campaign": campaign,
        "budget": selectors.budget_overview(campaign, per_recipient=True) if campaign else None,
    })


# The campaign summary is open to every login (awards.summary): the office publishes its
# decisions, the standings of a locked month and the budget are everyone's already.

def _summary_of(request):
    campaign = request.campaign
    if campaign is None:
        raise Http404("Chưa có phong trào thi đua.")
    return summary.campaign_summary(campaign)


# A province's units fit on one page; a national installation's are paged, as the ranking is.
SUMMARY_PAGE_SIZE = 100


@login_required
@campaign_view
def summary_page(request):
    campaign = request.campaign
    result = summary.campaign_summary(campaign) if campaign else None
    context = {"campaign": campaign, "summary": result}
    if result is not None:
        # The same slice of every unit-wise table: the per-unit table in the office's order,
        # each month's standings in their stored order; the province row on every page.
        offices = [r for r in result.records if not r.is_province]
        longest = max([len(offices), *(len(m.standings) for m in result.months)])
        page = Paginator(range(longest), SUMMARY_PAGE_SIZE).get_page(request.GET.get("trang"))
        shown = slice(page.start_index() - 1, page.end_index()) if longest else slice(0, 0)
        context |= {
            "page": page,
            "records": [r for r in result.records if r.is_province] + offices[shown],
            "months_shown": [(m, m.standings[shown]) for m in result.months if m.rolled_up],
            "budget_used": summary.budget_used_percent(result),
        }
    return render(request, "awards/summary.html", context)


@login_required
@campaign_view
def summary_xlsx(request):
    from . import xlsx

    result = _summary_of(request)
    return _download(xlsx.summary_workbook(result, organisation=Organisation.current()), XLSX,
                     f"tong-hop-phong-trao-{result.campaign.code}.xlsx")


@login_required
@campaign_view
def summary_pdf(request):
    from . import pdf

    result = _summary_of(request)
    return _download(pdf.summary_pdf(documents.summary_document_context(result)), "application/pdf",
                     f"bao-cao-tong-ket-{result.campaign.code}.pdf")


# --- documents ------------------------------------------------------------------------------------

def _document_context(request, pk: int) -> dict:
    access.access_dossier(user=request.user, pk=pk)
    return documents.document_context(selectors.dossier_for_page(pk))


@login_required
@dossier_view
def memo_pdf(request, pk: int):
    from . import pdf

    context = _document_context(request, pk)
    return _download(pdf.memo_pdf(context), "application/pdf",
                     f"to-trinh-khen-thuong-ky-{context['period'].number}.pdf")


@login_required
@dossier_view
def decision_pdf(request, pk: int):
    """The issued decision is the stored file, byte for byte; before approval (or for a
    decision approved before decisions were stored) the document is rendered on the spot."""
    from . import pdf

    access.access_dossier(user=request.user, pk=pk)
    issued = selectors.issued_decision(pk)
    if issued is not None:
        return _download(bytes(issued.content), "application/pdf",
                         f"quyet-dinh-khen-thuong-ky-{issued.dossier.period.number}.pdf")
    context = _document_context(request, pk)
    return _download(pdf.decision_pdf(context), "application/pdf",
                     f"quyet-dinh-khen-thuong-ky-{context['period'].number}.pdf")


@login_required
def verify(request):
    """Anyone signed in may check a decision file; the answer carries no more than the file
    itself (who signed, when) and whether this office issued it."""
    from .verification import verify as verify_file

    result = None
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = verify_file(form.cleaned_data["file"].read())
    return render(request, "awards/verify.html", {"form": form, "result": result})


@login_required
@dossier_view
def award_list_xlsx(request, pk: int):
    from . import xlsx

    context = _document_context(request, pk)
    return _download(xlsx.award_list_workbook(context), XLSX,
                     f"danh-sach-khen-thuong-ky-{context['period'].number}.xlsx")


# --- the compiler's changes -------------------------------------------------------------------

@login_required
@require_POST
@dossier_view
def nominate(request, pk: int):
    dossier = access.access_dossier(user=request.user, pk=pk, action=access.EDIT)
    form = NominationForm(request.POST, departments=selectors.nominable_departments(dossier))
    if not form.is_valid():
        _form_errors(request, form)
        return _back(pk)
    unit = form.cleaned_data["unit"]
    _run(request, lambda: services.nomination_create(
        user=request.user, dossier=dossier, unit=unit, reason=form.cleaned_data["reason"],
    ), f"Đã đề nghị {unit.name}.")
    return _back(pk)


@login_required
@require_POST
@dossier_view
def nomination_move(request, pk: int, nomination_pk: int):
    dossier = access.access_dossier(user=request.user, pk=pk, action=access.EDIT)
    nomination = get_object_or_404(Nomination, pk=nomination_pk, period=dossier.period)
    form = MoveForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(pk)
    _run(request, lambda: services.nomination_move(
        user=request.user, dossier=dossier, nomination=nomination,
        up=form.cleaned_data["direction"] == "up", reason=form.cleaned_data["reason"],
    ), "Đã đổi thứ tự ưu tiên.")
    return _back(pk)


def _candidate_change(request, pk: int, service, done: str):
    """Drop or restore a candidate: the same form (unit, reason), another service."""
    dossier = access.access_dossier(user=request.user, pk=pk, action=access.EDIT)
    form = CandidateForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(pk)
    unit = form.cleaned_data["unit"]
    _run(request, lambda: service(
        user=request.user, dossier=dossier, unit=unit, reason=form.cleaned_data["reason"],
    ), done.format(unit=unit.name))
    return _back(pk)


@login_required
@require_POST
@dossier_view
def candidate_drop(request, pk: int):
    return _candidate_change(request, pk, services.candidate_drop,
                             "Đã bỏ {unit} khỏi danh sách đề nghị.")


@login_required
@require_POST
@dossier_view
def candidate_restore(request, pk: int):
    return _candidate_change(request, pk, services.candidate_restore,
                             "Đã đưa {unit} trở lại danh sách.")


@login_required
@require_POST
@dossier_view
def individual_add(request, pk: int, line_pk: int):
    dossier = access.access_dossier(user=request.user, pk=pk, action=access.EDIT)
    line = get_object_or_404(AwardLine, pk=line_pk, dossier=dossier)
    form = IndividualForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(pk)
    data = form.cleaned_data
    _run(request, lambda: services.individual_add(
        user=request.user, line=line, person=data["person"], achievement=data["achievement"],
        has_initiative=data["has_initiative"],
    ), f"Đã thêm {data['person'].full_name}.")
    return _back(pk)


@login_required
@require_POST
@dossier_view
def individual_update(request, pk: int, individual_pk: int):
    dossier = access.access_dossier(user=request.user, pk=pk, action=access.EDIT)
    individual = get_object_or_404(Individual, pk=individual_pk, line__dossier=dossier)
    form = IndividualEditForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(pk)
    _run(request, lambda: services.individual_update(
        user=request.user, individual=individual, achievement=form.cleaned_data["achievement"],
        has_initiative=form.cleaned_data["has_initiative"],
        opened=form.opened(),
    ), "Đã cập nhật thành tích.")
    return _back(pk)


@login_required
@require_POST
@dossier_view
def individual_remove(request, pk: int, individual_pk: int):
    dossier = access.access_dossier(user=request.user, pk=pk, action=access.EDIT)
    individual = get_object_or_404(Individual.objects.select_related("person"), pk=individual_pk,
                                   line__dossier=dossier)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(pk)
    _run(request, lambda: services.individual_remove(
        user=request.user, individual=individual, reason=form.cleaned_data["reason"],
    ), f"Đã bỏ {individual.person.full_name} khỏi danh sách.")
    return _back(pk)


# --- the workflow ---------------------------------------------------------------------------------

TRANSITION_SERVICES = {
    access.SUBMIT: lambda user, dossier, data: services.dossier_submit(
        user=user, dossier=dossier, comment=data["comment"]),
    access.RETURN: lambda user, dossier, data: services.dossier_return(
        user=user, dossier=dossier, comment=data["comment"]),
    access.APPRAISE: lambda user, dossier, data: services.dossier_appraise(
        user=user, dossier=dossier, council_date=data["council_date"],
        council_minutes=data["council_minutes"], comment=data["comment"]),
    access.APPROVE: lambda user, dossier, data: services.dossier_approve(
        user=user, dossier=dossier, decision_number=data["decision_number"],
        decision_date=data["decision_date"], comment=data["comment"]),
}

DONE = {
    access.SUBMIT: "Đã trình hồ sơ để Phòng Tổ chức - Hành chính thẩm định.",
    access.RETURN: "Đã trả lại hồ sơ cho Phòng Quản lý thu.",
    access.APPRAISE: "Đã thẩm định; hồ sơ được trình Giám đốc phê duyệt.",
    access.APPROVE: "Đã phê duyệt hồ sơ khen thưởng.",
}


@login_required
@require_POST
@dossier_view
def transition(request, pk: int, action: str):
    if action not in TRANSITION_SERVICES:
        raise Http404("Không có thao tác này.")
    dossier = access.access_dossier(user=request.user, pk=pk, action=action)
    form = TRANSITION_FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(pk)
    if action in CONFIRMED and not confirmed(request):
        return _confirmation(request, dossier, action, form.cleaned_data)
    _run(request, lambda: TRANSITION_SERVICES[action](request.user, dossier, form.cleaned_data), DONE[action])
    return _back(pk)


# The steps that cannot be taken back (a decision signed): asked twice.
CONFIRMED = (access.APPROVE,)


def _confirmation(request, dossier, action: str, data: dict):
    total = format_money(selectors.dossier_total(dossier))
    consequences = [
        f"Hồ sơ được phê duyệt theo quyết định số {data['decision_number']} ngày "
        f"{data['decision_date']:%d/%m/%Y}; tổng tiền thưởng {total} được tính vào kinh phí "
        "của phong trào.",
        "Tờ trình và quyết định thành bản chính thức; danh sách khen thưởng không sửa được nữa, "
        "và kỳ không mở lại được.",
        "Phòng Kế hoạch - Tài chính được báo để chi trả.",
    ]
    return confirmation_page(request, title=f"phê duyệt hồ sơ khen thưởng {dossier.period.name}",
                             consequences=consequences, button="Xác nhận phê duyệt",
                             cancel_url=reverse("awards:dossier", args=[dossier.pk]))


# --- payments -------------------------------------------------------------------------------------

def _to_payments(dossier_pk: int):
    return redirect(reverse("awards:dossier", args=[dossier_pk]) + "#chi-tra")


@login_required
@require_POST
@dossier_view
def payments_record(request, pk: int):
    dossier = access.access_dossier(user=request.user, pk=pk, action=access.PAY)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _to_payments(pk)
    data = form.cleaned_data
    chosen = selectors.chosen_unpaid(dossier, line_ids=data["lines"], individual_ids=data["individuals"])
    # Recipients the page did not offer (paid since, of another dossier) skip the question:
    # the service refuses them with the reason.
    if chosen and not confirmed(request):
        return _payment_confirmation(request, dossier, data, chosen)

    def record() -> None:  # _run reads a list as the names of individuals removed
        services.payments_record(
            user=request.user, dossier=dossier, line_ids=data["lines"], individual_ids=data["individuals"],
            paid_on=data["paid_on"], voucher=data["voucher"], comment=data["comment"],
        )

    if _run(request, record, "Đã ghi nhận chi trả."):
        dossier.refresh_from_db()
        if dossier.state == dossier.State.PAID:
            messages.info(request, "Mọi tập thể, cá nhân của hồ sơ đã được chi trả; hồ sơ hoàn tất.")
    return _to_payments(pk)


def _payment_confirmation(request, dossier, data: dict, chosen):
    total = sum(r.amount for r in chosen)
    collectives = sum(1 for r in chosen if r.kind == "line")
    consequences = [
        f"Ghi nhận đã chi {recipients_phrase(collectives, len(chosen) - collectives)}, tổng "
        f"{format_money(total)}, ngày {data['paid_on']:%d/%m/%Y}, chứng từ {data['voucher'].strip()}:",
        *(f"{r.name} ({r.detail}): {format_money(r.amount)}" for r in chosen),
        "Mỗi tập thể, cá nhân chỉ được ghi nhận chi một lần; ghi nhầm thì hủy khoản đó (ghi lý do) "
        "rồi ghi nhận lại.",
    ]
    outcome = selectors.payment_outcome(dossier, len(chosen))
    if outcome.completes_dossier:
        consequences.append("Đây là các khoản cuối cùng của hồ sơ: hồ sơ chuyển sang «Đã chi trả».")
    if outcome.finishes_campaign:
        consequences.append(
            f"Đây cũng là khoản chi cuối cùng của phong trào «{dossier.period.campaign.name}»: phong trào "
            "kết thúc ngay, mọi số liệu và hồ sơ chỉ còn để xem, khoản chi ghi nhầm không hủy được "
            "nữa. Hãy kiểm tra kỹ ngày chi và chứng từ."
        )
    return confirmation_page(request, title=f"ghi nhận chi trả tiền thưởng {dossier.period.name}",
                             consequences=consequences, button="Xác nhận đã chi trả",
                             cancel_url=reverse("awards:dossier", args=[dossier.pk]) + "#chi-tra")


@login_required
@require_POST
@dossier_view
def payment_cancel(request, pk: int):
    dossier = access.access_dossier(user=request.user, pk=pk, action=access.UNPAY)
    form = PaymentCancelForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _to_payments(pk)
    payment = selectors.payment_of(dossier, form.cleaned_data["payment"])
    if payment is None:
        raise Http404("Không có khoản chi này trong hồ sơ.")
    _run(request, lambda: services.payment_cancel(
        user=request.user, payment=payment, reason=form.cleaned_data["reason"],
    ), "Đã hủy khoản chi; tập thể, cá nhân đó trở lại danh sách chưa chi.")
    return _to_payments(pk)
