from django import forms


class ReopenForm(forms.Form):
    """Why a locked period is opened again. A form, not request.POST read by hand: Django's
    CharField refuses a NUL byte (which PostgreSQL cannot store) with a message (Vietnamese
    in locale/vi)."""

    reason = forms.CharField(
        label="Lý do mở lại kỳ", max_length=2000,
        error_messages={"required": "Phải ghi lý do mở lại kỳ thi đua."},
    )
