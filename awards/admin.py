"""Read-only admin: dossiers change only through the workflow (awards.services), so that every
step keeps who, when and why; the admin is for looking things up."""

from django.contrib import admin

from units.admin import ReadOnlyAdminMixin

from .models import AwardLine, Dossier, DossierChange, DossierEvent, Exclusion, Individual


class AwardLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AwardLine
    fields = ("position", "unit", "prize_name", "prize", "amount", "individual_quota", "rank")
    extra = 0


class DossierEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DossierEvent
    fields = ("at", "action", "from_state", "to_state", "actor", "comment")
    readonly_fields = ("at",)
    extra = 0


class DossierChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DossierChange
    fields = ("at", "action", "unit", "person", "actor", "reason")
    readonly_fields = ("at",)
    extra = 0


class ExclusionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Exclusion
    fields = ("unit", "reason", "created_by", "created_at")
    readonly_fields = ("created_at",)
    extra = 0


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("period", "state", "created_at", "decision_number", "decision_date", "paid_on")
    list_filter = ("state", "period__campaign")
    list_select_related = ("period__campaign",)
    inlines = [AwardLineInline, ExclusionInline, DossierEventInline, DossierChangeInline]


@admin.register(Individual)
class IndividualAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("person", "line", "has_initiative", "amount")
    list_filter = ("line__dossier__period", "has_initiative")
    list_select_related = ("person", "line__unit")
    search_fields = ("person__full_name", "achievement")
