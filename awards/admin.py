"""Read-only admin: dossiers change only through the workflow (awards.services), so that every
step keeps who, when and why; the admin is for looking things up. Issued decisions are read-only
too (the database refuses a change as well); the one thing the administrator edits here is the
signature and seal images."""

from django.contrib import admin

from units.admin import ReadOnlyAdminMixin

from .models import (
    AwardLine,
    Dossier,
    DossierChange,
    DossierEvent,
    Exclusion,
    Individual,
    IssuedDecision,
    Payment,
    SigningAppearance,
)


class AwardLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AwardLine
    fields = ("position", "unit", "prize_name", "prize", "amount", "individual_quota", "rank")
    extra = 0


class DossierEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DossierEvent
    fields = ("at", "action", "from_state", "to_state", "actor", "comment", "document_sha256")
    readonly_fields = ("at", "document_sha256")
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
    list_display = ("period", "state", "created_at", "decision_number", "decision_date")
    list_filter = ("state", "period__campaign")
    list_select_related = ("period__campaign",)
    readonly_fields = ("decision_sha256",)
    inlines = [AwardLineInline, ExclusionInline, DossierEventInline, DossierChangeInline]


@admin.register(Individual)
class IndividualAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("person", "line", "has_initiative", "amount")
    list_filter = ("line__dossier__period", "has_initiative")
    list_select_related = ("person", "line__unit")
    search_fields = ("person__full_name", "achievement")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Recorded and cancelled on the dossier page only (finance, with a reason to cancel)."""

    list_display = ("__str__", "paid_on", "voucher", "amount", "recorded_by", "recorded_at", "cancelled_at")
    list_filter = ("paid_on",)
    list_select_related = ("line__unit", "individual__person", "individual__line__unit", "recorded_by")
    search_fields = ("voucher", "line__unit__name", "individual__person__full_name")


@admin.register(IssuedDecision)
class IssuedDecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("dossier", "issued_at", "level", "sha256")
    list_select_related = ("dossier__period",)
    fields = ("dossier", "issued_at", "level", "signers", "sha256")
    readonly_fields = fields


@admin.register(SigningAppearance)
class SigningAppearanceAdmin(admin.ModelAdmin):
    """One row: the images every later decision is signed with (issued ones keep theirs)."""

    list_display = ("__str__", "seal_diameter_mm", "updated_at")
    fields = ("signature_image", "seal_image", "seal_diameter_mm")

    def has_add_permission(self, request):
        return not SigningAppearance.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
