"""Parse and validate what the dossier page posts; the services decide what it means."""

import re

from django import forms

from units.models import Person, Unit

from .services import ACHIEVEMENT_MAX, validate_decision_number


class VietnameseDateField(forms.DateField):
    """A date typed as the office writes it, 05/11/yyyy. Not the browser's date input: that
    one shows the date in the browser's own language, so an English-language browser would
    show 5 November as 11/05/yyyy. Parsed by DATE_INPUT_FORMATS (config/formats/vi)."""

    widget = forms.DateInput(format="%d/%m/%Y", attrs={
        "placeholder": "ngày/tháng/năm", "inputmode": "numeric", "autocomplete": "off",
        "maxlength": 10,
    })
    default_error_messages = {
        "invalid": "Ngày phải viết theo dạng ngày/tháng/năm (dd/mm/yyyy), năm đủ bốn chữ số.",
        "no_such_day": "Không có ngày %(typed)s trong lịch.",
    }

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            typed = str(value).strip()
            if DAY_FIRST.fullmatch(typed):  # written right, but the day does not exist (31/02)
                raise forms.ValidationError(self.error_messages["no_such_day"],
                                            code="no_such_day", params={"typed": typed}) from None
            raise


DAY_FIRST = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class NominationForm(ReasonForm):
    unit = forms.ModelChoiceField(label="Phòng nghiệp vụ", queryset=Unit.objects.none())
    reason = forms.CharField(
        label="Lý do đề nghị (thành tích của phòng)", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = departments if departments is not None else Unit.objects.none()


class CandidateForm(ReasonForm):
    """Drop or restore a candidate: the unit by its code, and why."""

    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), to_field_name="code", widget=forms.HiddenInput)


class MoveForm(ReasonForm):
    direction = forms.ChoiceField(choices=[("up", "Lên"), ("down", "Xuống")], widget=forms.HiddenInput)


class IndividualForm(forms.Form):
    # Any staff member is accepted here; the service refuses one of another unit with a clear
    # message (the page only offers the collective's own staff).
    person = forms.ModelChoiceField(label="Viên chức, người lao động", queryset=Person.objects.all())
    achievement = forms.CharField(
        label="Tóm tắt thành tích", max_length=ACHIEVEMENT_MAX, widget=forms.Textarea(attrs={"rows": 2}),
    )
    has_initiative = forms.BooleanField(label="Có sáng kiến, giải pháp", required=False)


class IndividualEditForm(forms.Form):
    # What the page showed when it was opened: a save over someone else's newer edit is refused.
    opened_achievement = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    opened_initiative = forms.CharField(required=False, widget=forms.HiddenInput)
    achievement = forms.CharField(
        label="Tóm tắt thành tích", max_length=ACHIEVEMENT_MAX, widget=forms.Textarea(attrs={"rows": 2}),
    )
    has_initiative = forms.BooleanField(label="Có sáng kiến, giải pháp", required=False)

    def opened(self) -> tuple[str, bool] | None:
        """What the page showed, or None when it did not say (a field left out), which the
        service refuses: an empty achievement is a value, a missing one is not."""
        if not {"opened_achievement", "opened_initiative"} <= set(self.data):
            return None
        if self.cleaned_data["opened_initiative"] not in ("0", "1"):
            return None
        return self.cleaned_data["opened_achievement"], self.cleaned_data["opened_initiative"] == "1"


class StyledForm(forms.Form):
    """Bootstrap classes on the widgets, for the hand-written dossier page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            field.widget.attrs.setdefault("class", css)


class CommentForm(StyledForm):
    comment = forms.CharField(label="Ý kiến", required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(StyledForm):
    comment = forms.CharField(label="Ý kiến (nội dung cần bổ sung, sửa)", max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class AppraiseForm(CommentForm):
    council_date = VietnameseDateField(label="Ngày họp Hội đồng Thi đua - Khen thưởng")
    council_minutes = forms.CharField(label="Số, ký hiệu biên bản họp", max_length=100,
                                      widget=forms.TextInput(attrs={"placeholder": "05/BB-HĐTĐKT"}))


class ApproveForm(CommentForm):
    decision_number = forms.CharField(label="Số quyết định", max_length=50,
                                      widget=forms.TextInput(attrs={"placeholder": "123/QĐ-BHXH"}))
    decision_date = VietnameseDateField(label="Ngày ký quyết định")

    def clean_decision_number(self):
        return validate_decision_number(self.cleaned_data["decision_number"])


TRANSITION_FORMS = {
    "submit": CommentForm,
    "return": ReturnForm,
    "appraise": AppraiseForm,
    "approve": ApproveForm,
}


class IdsField(forms.Field):
    """The ids of the ticked boxes sharing one name (`lines`, `individuals`); which of them
    belong to the dossier and are unpaid is the service's question."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "Danh sách khoản chi không hợp lệ; hãy tải lại trang."}

    def to_python(self, value):
        if not value:
            return []
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PaymentForm(CommentForm):
    """Finance's entry: the collectives and persons ticked were paid on one day, one voucher."""

    lines = IdsField(required=False)
    individuals = IdsField(required=False)
    paid_on = VietnameseDateField(label="Ngày chi")
    voucher = forms.CharField(label="Chứng từ chi (số, ngày)", max_length=100,
                              widget=forms.TextInput(attrs={"placeholder": "UNC 45 ngày 10/11"}))


class PaymentCancelForm(forms.Form):
    payment = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Lý do hủy", max_length=2000)


class VerifyForm(forms.Form):
    file = forms.FileField(
        label="Tệp PDF quyết định",
        error_messages={"required": "Hãy chọn tệp PDF cần kiểm tra.",
                        "empty": "Tệp đã chọn trống (0 byte)."},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        from django.conf import settings

        file = self.cleaned_data["file"]
        limit = settings.VERIFY_MAX_UPLOAD_BYTES
        if file.size > limit:
            raise forms.ValidationError(
                f"Tệp quá lớn ({file.size // 1024 // 1024} MB); tối đa {limit // 1024 // 1024} MB."
            )
        return file
