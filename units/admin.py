from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .models import Organisation, PasswordChangeRequired, Person, Unit


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


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """An account created here has a temporary password, typed by the administrator: its owner
    must choose their own at first login (units/passwords.py)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            PasswordChangeRequired.objects.get_or_create(user=obj)
