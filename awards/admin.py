"""Read-only admin: dossiers change only through the workflow (awards.services), so that every
step keeps who, when and why; the admin is for looking things up."""

from django.contrib import admin

from .models import AwardLine, Dossier, DossierChange, DossierEvent, Exclusion, Individual


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AwardLineInline(ReadOnlyMixin, admin.TabularInline):
    model = AwardLine
    fields = ("position", "unit", "prize", "amount", "individual_quota", "rank")
    extra = 0


class DossierEventInline(ReadOnlyMixin, admin.TabularInline):
    model = DossierEvent
    fields = ("at", "action", "from_state", "to_state", "actor", "comment")
    readonly_fields = ("at",)
    extra = 0


class DossierChangeInline(ReadOnlyMixin, admin.TabularInline):
    model = DossierChange
    fields = ("at", "action", "unit", "person", "actor", "reason")
    readonly_fields = ("at",)
    extra = 0


class ExclusionInline(ReadOnlyMixin, admin.TabularInline):
    model = Exclusion
    fields = ("unit", "reason", "created_by", "created_at")
    readonly_fields = ("created_at",)
    extra = 0


@admin.register(Dossier)
class DossierAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("period", "state", "created_at", "decision_number", "decision_date", "paid_on")
    list_filter = ("state", "period__campaign")
    list_select_related = ("period__campaign",)
    inlines = [AwardLineInline, ExclusionInline, DossierEventInline, DossierChangeInline]


@admin.register(Individual)
class IndividualAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("person", "line", "has_initiative", "amount")
    list_filter = ("line__dossier__period", "has_initiative")
    list_select_related = ("person", "line__unit")
    search_fields = ("person__full_name", "achievement")
