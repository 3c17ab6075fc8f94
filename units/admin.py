from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.functional import lazy
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, PasswordChangeRequired, Person, Unit


def _site_header() -> str:
    organisation = Organisation.current()
    if organisation.pk is None:
        return "Quản trị thi đua"
    return f"Thi đua {organisation.short_name}"


# Lazy: read on each admin page, so a renamed office shows at once, and importing the URLconf
# never touches the database.
site_header = lazy(_site_header, str)()


class ReadOnlyAdminMixin:
    """For records that change only through a service (which checks who may, and logs it) or
    never change: the admin shows them and nothing more."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "is_collection_department", "is_directorate", "active", "order")
    list_filter = ("kind", "active", "is_collection_department", "is_directorate")
    list_editable = ("order", "active")
    search_fields = ("code", "name")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "unit", "title", "user", "active")
    list_filter = ("unit__kind", "active", "unit")
    search_fields = ("full_name", "title", "unit__name", "user__username")
    list_select_related = ("unit", "user")
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """One office per installation: it can be entered once and edited, never deleted."""

    list_display = ("name", "place", "document_symbol", "head_title", "head_name")

    def has_add_permission(self, request):
        return not Organisation.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin, whose history page reads the object id as the primary key
    without checking it: "abc" or a NUL byte in the URL raised a 500. Not a number: 404."""

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404("Không tìm thấy bản ghi.") from None
        return super().history_view(request, object_id, extra_context)


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """An account created here has a temporary password, typed by the administrator: its owner
    must choose their own at first login (units/passwords.py)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            PasswordChangeRequired.objects.get_or_create(user=obj)
