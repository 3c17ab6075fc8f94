from django import forms

from .models import BoardLink


class BoardLinkForm(forms.Form):
    label = forms.CharField(
        label="Tên màn hình", max_length=100,
        help_text="Để nhận ra màn hình khi cần thu hồi, ví dụ: Màn hình sảnh tầng 1.",
    )


class BoardLinkRevokeForm(forms.Form):
    link = forms.ModelChoiceField(
        queryset=BoardLink.objects.all(),
        error_messages={"invalid_choice": "Không có đường dẫn này."},
    )
