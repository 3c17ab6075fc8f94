"""A campaign's definition in the app: read it, download it, and, for the administrator, create
the next campaign as a copy, edit one still to start, upload a definition file.

Thin: the access helper, one service call (campaign/setup.py), a response. The services check
who may write and whether the campaign has started; the pages only say it first.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from units.models import Role
from units.roles import has_role

from . import access, setup
from .definition import DefinitionError, dump, warnings_of
from .definition_form import DefinitionForm
from .lifecycle import campaign_has_started, campaign_stage, started_message
from .scope import campaign_urls, campaign_view, short_urls

TOML_CONTENT_TYPE = "application/toml; charset=utf-8"


def _campaign(request):
    if request.campaign is None:
        raise Http404("Chưa có phong trào thi đua nào.")
    return request.campaign


def _in(campaign, name: str) -> str:
    with campaign_urls(campaign):
        return reverse(name)


def upload_url() -> str:
    """The upload page names no campaign, wherever it is linked from."""
    with short_urls():
        return reverse("campaign:definition_upload")


def _saved(request, result: setup.LoadResult) -> None:
    campaign = result.campaign
    if result.created:
        messages.success(request, f"Đã tạo phong trào {campaign.code} với "
                                  f"{campaign.periods.count()} kỳ.")
    elif result.changed:
        messages.success(request, f"Đã lưu phong trào {campaign.code}: {'; '.join(result.changed)}.")
    else:
        messages.info(request, f"Phong trào {campaign.code} không có gì thay đổi.")
    for warning in result.warnings:
        messages.warning(request, f"Lưu ý – {warning}")


@login_required
@campaign_view
def definition(request):
    access.require_definition_reader(request.user)
    campaign = _campaign(request)
    d = setup.definition_of(campaign)
    return render(request, "campaign/definition.html", {
        "campaign": campaign, "definition": d, "stage": campaign_stage(campaign),
        "started": campaign_has_started(campaign),
        "may_define": access.may_define_campaigns(request.user),
        "monthly_cost": d.monthly_cost(), "total_cost": d.monthly_cost() * len(d.periods),
        "warnings": warnings_of(d), "upload_url": upload_url(),
        "preparing_targets": not campaign_has_started(campaign)
        and has_role(request.user, Role.COMPILER),
    })


@login_required
@campaign_view
def definition_file(request):
    access.require_definition_reader(request.user)
    campaign = _campaign(request)
    response = HttpResponse(dump(setup.definition_of(campaign)), content_type=TOML_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{campaign.code.lower()}.toml"'
    return response


@login_required
@campaign_view
def definition_edit(request):
    access.require_campaign_definer(request.user)
    campaign = _campaign(request)
    if campaign_has_started(campaign):
        # Said before any error of the form; campaign_define refuses it all the same.
        if request.method == "POST":
            messages.error(request, f"{started_message(campaign)} Chưa có gì được ghi.")
        return render(request, "campaign/definition_edit.html", {
            "campaign": campaign, "refusal": started_message(campaign)})
    if request.method == "POST":
        form = DefinitionForm.read(campaign.code, request.POST, launch_after=timezone.localdate())
        if form.definition is not None:
            try:
                result = setup.campaign_define(user=request.user, definition=form.definition,
                                               campaign=campaign, shown=request.POST.get("shown"),
                                               warnings=form.warnings)
            except DefinitionError as error:
                form.errors = error.errors
                form.attach_errors()
            except ValidationError as error:
                form.errors = error.messages
            else:
                _saved(request, result)
                return redirect("campaign:definition")
    else:
        form = DefinitionForm.of(setup.definition_of(campaign))
        form.warnings = warnings_of(form.definition)
    # A form sent back with errors keeps the version it was opened on: saving it later over a
    # newer definition is still refused.
    shown = request.POST.get("shown", "") if request.method == "POST" else setup.definition_fingerprint(campaign)
    return render(request, "campaign/definition_edit.html", {
        "campaign": campaign, "form": form, "shown": shown})


class CopyForm(forms.Form):
    code = forms.CharField(label="Mã phong trào mới", max_length=30,
                           help_text="Chữ in hoa không dấu, chữ số, - và _, ví dụ NUOCRUT_QUY4.")
    name = forms.CharField(label="Tên phong trào mới", max_length=300)
    year = forms.IntegerField(label="Năm", min_value=1, max_value=9999,
                              help_text="Mọi ngày của phong trào gốc được dời sang năm này.")

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        for field in self.fields.values():
            field.error_messages["required"] = "Chưa nhập."
        self.fields["year"].error_messages["invalid"] = "Phải là một năm, ví dụ như năm của phong trào gốc cộng 1."
        self.fields["year"].widget.attrs["inputmode"] = "numeric"
        self.fields["year"].localize = False

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year <= self.source.year:
            raise ValidationError(f"Phải sau năm {self.source.year} của phong trào gốc.")
        return year


def _copy_initial(source) -> dict:
    year = source.year + setup.copy_years(source)
    old = str(source.year)
    return {"year": year,
            "code": source.code.replace(old, str(year)) if old in source.code else "",
            "name": source.name.replace(old, str(year))}


@login_required
@campaign_view
def definition_copy(request):
    access.require_campaign_definer(request.user)
    source = _campaign(request)
    form = CopyForm(request.POST or None, source=source, initial=_copy_initial(source))
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = setup.campaign_copy(user=request.user, source=source, code=data["code"],
                                         name=data["name"], years=data["year"] - source.year)
        except DefinitionError as error:
            errors = error.errors
            for message in errors:  # all listed above the form; code and name also at their input
                key, _, text = message.partition(": ")
                if key in ("code", "name"):
                    form.add_error(key, text)
        else:
            _saved(request, result)
            messages.info(request, "Các kỳ, ngưỡng, thang giải, mức thưởng và căn cứ được chép từ "
                                   f"{source.code}, ngày tháng dời sang năm {data['year']}; chỉ tiêu "
                                   "không được chép. Hãy sửa theo văn bản phát động mới.")
            return redirect(_in(result.campaign, "campaign:definition_edit"))
    return render(request, "campaign/definition_copy.html", {
        "campaign": source, "form": form, "errors": errors})


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp định nghĩa (.toml)",
        error_messages={"required": "Hãy chọn một tệp định nghĩa (.toml) để tải lên.",
                        "empty": "Tệp đã chọn trống (0 byte)."},
        widget=forms.ClearableFileInput(attrs={"accept": ".toml,text/plain", "class": "form-control"}),
    )


@login_required
def definition_upload(request):
    """Not a page of one campaign: the file names its campaign (`code`), as for campaign_load."""
    access.require_campaign_definer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = setup.campaign_upload(user=request.user,
                                           data=upload.read(setup.UPLOAD_MAX_BYTES + 1))
        except DefinitionError as error:
            errors = error.errors
        except ValidationError as error:
            errors = error.messages
        else:
            _saved(request, result)
            return redirect(_in(result.campaign, "campaign:definition"))
    return render(request, "campaign/definition_upload.html", {"form": form, "errors": errors})
