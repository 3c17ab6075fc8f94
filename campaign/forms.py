import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.html import format_html

from .models import Report, Target
from .services import (
    MISSING_VERSION,
    NO_ROW_VERSION,
    REPORT_FIELDS,
    TARGET_FIELDS,
    report_cross_field_errors,
    validate_target_figures,
)

# PositiveIntegerField holds up to 2.147.483.647 on every database; PositiveBigIntegerField
# gets its bound from Django already.
COUNT_MAX = 2_147_483_647

# Messages of validators that carry params (limits) are %-formatted by Django: "%%" prints "%".
NUMBER_ERRORS = {
    "required": "Chưa nhập số liệu.",
    "invalid": "Phải là số nguyên, ví dụ 5.000.000.",
    "min_value": "Không được là số âm.",
    "max_value": "Số quá lớn.",
}
PERCENT_ERRORS = NUMBER_ERRORS | {
    "invalid": "Phải là một tỷ lệ phần trăm, ví dụ 3,5.",
    "max_value": "Tỷ lệ phải trong khoảng 0–100 %%.",
    "min_value": "Tỷ lệ phải trong khoảng 0–100 %%.",
    "max_digits": "Tỷ lệ quá dài.",
    "max_decimal_places": "Tối đa 2 chữ số thập phân.",
    "max_whole_digits": "Tỷ lệ phải trong khoảng 0–100 %%.",
}


# A whole number with a dot: the dots must group thousands (5.000.000), whatever follows a comma.
_DOTTED = re.compile(r"-?[0-9]{1,3}(\.[0-9]{3})+(,.*)?")
# What a typed whole number may hold at all: ASCII digits, the marks, a sign. Python's int()
# would also take "35_871" and other scripts' digits (١٢٣, full-width １２３).
_NUMBER_CHARACTERS = re.compile(r"[-+]?[0-9.,]+")


class WholeNumberField(forms.IntegerField):
    """A whole number as Vietnamese write it: 5.000.000. Spaces around it are dropped first,
    and a dot that does not group three digits is refused. Django's own reading of localized
    input takes a lone dot followed by other than three characters for a decimal point, so
    "1.000 " (a trailing space, as pasted from a spreadsheet) was saved as 1 and "1.00" as 1."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if value and not _NUMBER_CHARACTERS.fullmatch(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            if "." in value and not _DOTTED.fullmatch(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class PercentNumberField(forms.DecimalField):
    """A percentage as typed (3,5): Django's DecimalField reads it through Decimal(), which
    also takes "3_5" (as 35) and other scripts' digits; those are refused here."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if value and not _NUMBER_CHARACTERS.fullmatch(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def whole_numbers_formfield(model_field, **kwargs):
    if isinstance(model_field, models.IntegerField):
        kwargs["form_class"] = WholeNumberField
    elif isinstance(model_field, models.DecimalField):
        kwargs["form_class"] = PercentNumberField
    return model_field.formfield(**kwargs)


def money_formfield(model_field, **kwargs) -> WholeNumberField:
    """An amount in whole đồng typed as written, 6.000.000: a text box, since a number box
    refuses the dots, and shown back with them."""
    field = model_field.formfield(form_class=WholeNumberField, localize=True, **kwargs)
    field.widget.attrs.update({"inputmode": "numeric", "class": "text-end"})
    field.error_messages.update(NUMBER_ERRORS)
    return field


class _FiguresForm(forms.ModelForm):
    """Localized numbers: staff type 5.000.000 (dots) and 3,5 (comma) as they write them.

    `version` carries the row's version the page was built from, NO_ROW_VERSION when there
    was no row yet, so a save over a newer one is refused by the service instead of silently
    overwriting it. Left out or empty, it is None, which the service refuses too.
    """

    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = (
            self.instance.version if self.instance.pk is not None else NO_ROW_VERSION
        )
        for name, field in self.fields.items():
            if name == "version":
                continue
            field.localize = True
            field.widget.is_localized = True
            field.widget.attrs.update({"inputmode": "decimal", "class": "text-end"})
            field.error_messages.update(
                PERCENT_ERRORS if isinstance(field, forms.DecimalField) else NUMBER_ERRORS
            )
            if isinstance(field, forms.IntegerField) and field.max_value is None:
                field.max_value = COUNT_MAX
                field.validators.append(MaxValueValidator(COUNT_MAX))

    def clean(self):
        cleaned = super().clean()
        if "version" in self._errors:
            # A hidden field's error would show under no field: said for the whole form.
            del self._errors["version"]
            self.add_error(None, MISSING_VERSION)
        return cleaned

    def _apply_business_errors(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)


class ReportForm(_FiguresForm):
    class Meta:
        model = Report
        fields = REPORT_FIELDS
        localized_fields = REPORT_FIELDS
        formfield_callback = whole_numbers_formfield

    def clean(self):
        cleaned = super().clean()
        self._apply_business_errors(report_cross_field_errors(cleaned))
        return cleaned

    def mark_warnings(self, states) -> None:
        """Each doubtful figure's box says why, under it, as its help text does (escaped: the
        text names a period, which is data)."""
        for state in states:
            field = self.fields.get(state.warning.field)
            if field is None:
                continue
            note = "Đã được xác nhận: " if not state.is_open else "Cảnh báo: "
            before = f"{field.help_text} " if field.help_text else ""
            field.help_text = format_html("{}{}{}", before, note, state.warning.message)
            css = field.widget.attrs.get("class", "")
            if state.is_open and "border-warning" not in css:
                field.widget.attrs["class"] = f"{css} border-warning border-2".strip()

    def validate_unique(self):
        # Period and unit are set by the service, not the form.
        pass

    def _post_clean(self):
        # The model's constraints need period and unit, which the service sets; the
        # cross-field rules run in clean() through the service's own validator.
        pass


class TargetForm(_FiguresForm):
    class Meta:
        model = Target
        fields = TARGET_FIELDS
        localized_fields = TARGET_FIELDS
        formfield_callback = whole_numbers_formfield

    BASE_FIELDS = ("mandatory_base", "voluntary_base", "health_base")

    def __init__(self, *args, baseline_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        if baseline_date is not None:
            # "BHXH bắt buộc ngày chốt" → "BHXH bắt buộc ngày chốt 31/12/…": the campaign's own date.
            for name in self.BASE_FIELDS:
                self.fields[name].label = f"{self.fields[name].label} {baseline_date:%d/%m/%Y}"

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(f) is not None for f in TARGET_FIELDS):
            self._apply_business_errors(validate_target_figures(cleaned))
        return cleaned

    def _post_clean(self):
        pass


class ReturnReportForm(forms.Form):
    reason = forms.CharField(
        label="Lý do trả lại", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
        error_messages={"required": "Phải ghi lý do trả lại báo cáo."},
    )


class AcknowledgeWarningForm(forms.Form):
    """The compiler's acknowledgement of one warning: which one, on which figures, and why."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=60)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=200)
    note = forms.CharField(
        label="Lý do số liệu đúng", max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: đã kiểm tra với đơn vị, số đúng"}),
        error_messages={"required": "Phải ghi lý do xác nhận số liệu là đúng (ví dụ: đã kiểm tra với đơn vị)."},
    )
