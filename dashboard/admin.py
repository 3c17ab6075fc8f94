from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from units.admin import ReadOnlyAdminMixin

from . import services
from .models import BoardLink


@admin.register(BoardLink)
class BoardLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A link is made on the application's own page, which shows its address once (only the
    token's hash is kept, so nothing here could show it); «Thêm» leads there. Revoking goes
    through the service, as on that page."""

    list_display = ("label", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by")
    list_filter = ("revoked_at",)
    list_select_related = ("created_by", "revoked_by")
    search_fields = ("label",)
    exclude = ("token_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("dashboard:board_links")

    @admin.action(description="Thu hồi các đường dẫn đã chọn")
    def revoke(self, request, queryset):
        for link in queryset.filter(revoked_at__isnull=True):
            try:
                services.board_link_revoke(user=request.user, link=link)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, f"Đã thu hồi đường dẫn «{link.label}».")
