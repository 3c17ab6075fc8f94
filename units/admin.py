from django.contrib import admin

from .models import Person, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "is_collection_department", "active", "order")
    list_filter = ("kind", "active", "is_collection_department")
    list_editable = ("order", "active")
    search_fields = ("code", "name")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "unit", "title", "user", "active")
    list_filter = ("unit__kind", "active", "unit")
    search_fields = ("full_name", "title", "unit__name", "user__username")
    list_select_related = ("unit", "user")
    autocomplete_fields = ("user",)
