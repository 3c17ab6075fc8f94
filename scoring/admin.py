from django.contrib import admin

from units.admin import ReadOnlyAdminMixin

from .models import Nomination, RollupRun, Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a snapshot is the record of a roll-up and is never edited."""

    list_display = ("period", "created_at", "trigger", "created_by", "rules_version", "superseded_at")
    list_filter = ("period__campaign", "period", "trigger")
    list_select_related = ("period", "period__campaign", "created_by")

    def get_queryset(self, request):
        # A national snapshot is 4 MB of JSON: the list never loads it; the page of one
        # snapshot reads it when it shows it.
        return super().get_queryset(request).defer("inputs", "document")


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: nominations change on the dossier page, which checks R12 and logs who and why."""

    list_display = ("period", "unit", "order", "created_by", "created_at")
    list_filter = ("period__campaign", "period")
    list_select_related = ("period__campaign", "unit", "created_by")


@admin.register(RollupRun)
class RollupRunAdmin(admin.ModelAdmin):
    """Read-only: the log of roll-up requests, written by the tasks."""

    list_display = ("period", "created_at", "trigger", "triggered_by", "state", "attempts",
                    "created_snapshot", "finished_at", "message")
    list_filter = ("state", "trigger", "period__campaign", "period")
    list_select_related = ("period", "period__campaign", "triggered_by")
    search_fields = ("message", "task_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
