from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from units.admin import HistoryAdmin, ReadOnlyAdminMixin

from .forms import PercentNumberField, WholeNumberField, money_formfield
from .models import (
    Campaign,
    ImportBatch,
    Period,
    PrizeLevel,
    Report,
    ReportEvent,
    ReportReminder,
    Target,
    WarningAcknowledgement,
)


class MoneyFieldsMixin:
    """Amounts in đồng typed as Vietnamese write them (6.000.000)."""

    money_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.money_fields:
            return money_formfield(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PrizeLevelInline(MoneyFieldsMixin, admin.TabularInline):
    """The ladder, edited with its campaign: levels given in `position` order."""

    model = PrizeLevel
    extra = 0
    fields = ("position", "key", "name", "count", "amount", "individuals")
    money_fields = ("amount",)


# Amounts (đồng), counts and rates (3,5) typed as Vietnamese write them, 6.000.000, and shown so; a plain
# number input would refuse the dots. Years and small settings (PositiveSmallIntegerField) keep
# their ungrouped inputs.
WHOLE_NUMBERS = {
    models.PositiveBigIntegerField: {"form_class": WholeNumberField, "localize": True},
    models.PositiveIntegerField: {"form_class": WholeNumberField, "localize": True},
    models.DecimalField: {"form_class": PercentNumberField, "localize": True},
}


class PeriodInline(admin.TabularInline):
    model = Period
    extra = 0
    # Locking and reopening go through the roll-up and period_reopen (with a reason), never
    # through a status field.
    readonly_fields = ("status",)


@admin.register(Campaign)
class CampaignAdmin(MoneyFieldsMixin, admin.ModelAdmin):
    list_display = ("code", "name", "year_shown", "launch_date", "end_date", "tie_decimals", "budget")
    search_fields = ("code", "name")
    inlines = [PrizeLevelInline, PeriodInline]
    money_fields = ("budget", "individual_amount")

    @admin.display(description="năm", ordering="year")
    def year_shown(self, campaign):
        return str(campaign.year)  # a year, not a quantity: never grouped like an amount


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("campaign", "number", "name", "first_day", "last_day",
                    "participant_threshold", "revenue_threshold", "rollup_due_at", "status")
    list_filter = ("campaign", "status")
    list_select_related = ("campaign",)
    readonly_fields = ("status",)

    def get_readonly_fields(self, request, obj=None):
        # A locked period shows its dates and thresholds without inputs; Period.clean() and
        # Period.save() refuse a change all the same (a crafted POST, the campaign's inline).
        if obj is not None and obj.is_locked:
            return ("status", *Period.FROZEN_WHEN_LOCKED)
        return self.readonly_fields


@admin.register(Target)
class TargetAdmin(HistoryAdmin):
    list_display = ("unit", "campaign", "mandatory_plan", "voluntary_plan", "health_plan",
                    "revenue_plan", "late_max", "late_interest_max", "updated_at")
    list_filter = ("campaign", "unit__kind")
    search_fields = ("unit__code", "unit__name")
    list_select_related = ("unit", "campaign")
    formfield_overrides = WHOLE_NUMBERS


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    readonly_fields = ("action", "actor", "at", "note")
    can_delete = False


class WarningAcknowledgementInline(admin.TabularInline):
    model = WarningAcknowledgement
    extra = 0
    fields = readonly_fields = ("key", "evidence", "message", "note", "by", "at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WarningAcknowledgement)
class WarningAcknowledgementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: written by campaign.services.warning_acknowledge (the compiler, with a reason,
    logged in the report's events) and never changed; it holds for the figures it names."""

    list_display = ("report", "key", "by", "at")
    list_filter = ("report__period__campaign", "report__period")
    search_fields = ("report__unit__code", "report__unit__name")
    list_select_related = ("report__unit", "report__period", "report__period__campaign", "by")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """Read-only: a report changes only through the app, whose services check who may write,
    the period's lock, the figures' rules and the version the editor saw, and log an event
    (the unit's form, the compiler's import, a return to draft). The admin shows the report,
    its events and its history."""

    list_display = ("unit", "period", "status", "source", "revenue", "submitted_at", "submitted_by")
    list_filter = ("period__campaign", "period", "status", "source", "unit__kind")
    search_fields = ("unit__code", "unit__name")
    list_select_related = ("unit", "period", "period__campaign", "submitted_by")
    inlines = [ReportEventInline, WarningAcknowledgementInline]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: an import is the record of an upload, written by campaign.imports (which
    checks the role, previews, applies or refuses, and keeps the file)."""

    list_display = ("original_name", "kind", "campaign", "period", "status", "row_count",
                    "uploaded_by", "uploaded_at")
    list_filter = ("kind", "status", "campaign")
    list_select_related = ("campaign", "period__campaign", "uploaded_by")
    # The kept file is audit: never replaced here, and downloaded through the app's view
    # (compiler or administrator), not a public media URL.
    exclude = ("file",)
    readonly_fields = ("kept_file", "sha256", "errors")

    @admin.display(description="tệp")
    def kept_file(self, obj):
        if not obj.pk or not obj.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("excel:batch_file", args=[obj.pk]),
                           obj.original_name)


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the record of who did what to a report is never edited."""

    list_display = ("report", "action", "actor", "at")
    list_filter = ("action",)
    list_select_related = ("report__unit", "report__period__campaign", "actor")



@admin.register(ReportReminder)
class ReportReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: which units were reminded of which period's report, when, and to whom."""

    list_display = ("unit", "period", "recipients", "refused", "sent_at")
    list_filter = ("period__campaign", "period", "refused")
    search_fields = ("unit__code", "unit__name", "recipients")
    list_select_related = ("unit", "period__campaign")
