from django.conf import settings
from django.db import models
from django.db.models import Q

from campaign.models import Period
from units.models import Unit

from .fields import PackedJSONField

# The names of the three levels every ladder had before the ladder became the campaign's data:
# the snapshots of that time stored only the keys.
EARLY_PRIZE_NAMES = {"first": "Giải Nhất", "second": "Giải Nhì", "third": "Giải Ba"}


def prize_name_of(key: str, terms: dict | None = None) -> str:
    """A level's name as a snapshot stored it, for a snapshot's prize terms or an award of
    its document ({"name": …} or {"prize_name": …}); a key alone reads by the early names."""
    terms = terms or {}
    return terms.get("prize_name") or terms.get("name") or EARLY_PRIZE_NAMES.get(key, key)


def applied_levels(applied_settings: dict) -> list[dict]:
    """The prize levels a roll-up applied, in ladder order, each {"key", "name", "amount",
    "individual_quota", …}. The order is read from the positions the terms carry, not from the
    mapping (PostgreSQL's jsonb keeps no key order); early snapshots' three levels in theirs."""
    prizes = applied_settings.get("prizes", {})
    early = list(EARLY_PRIZE_NAMES)

    def place(key):
        position = prizes[key].get("position")
        if position is not None:
            return position
        return early.index(key) + 1 if key in early else len(early) + 1

    return [{**prizes[key], "key": key, "name": prize_name_of(key, prizes[key])}
            for key in sorted(prizes, key=lambda key: (place(key), key))]


class Snapshot(models.Model):
    """The standings of a period as rolled up: inputs, settings, rule version and results.

    Written once and never edited; reopening a period marks it superseded, and the next
    roll-up writes a new one. At most one current (not superseded) snapshot per period,
    enforced by the database, so concurrent roll-ups cannot both succeed.
    """

    class Trigger(models.TextChoices):
        MANUAL = "manual", "Thủ công (trên web)"
        SCHEDULE = "schedule", "Theo lịch"
        COMMAND = "command", "Lệnh quản trị"

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="snapshots", verbose_name="kỳ")
    created_at = models.DateTimeField("tổng hợp lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người tổng hợp",
    )
    trigger = models.CharField("cách chạy", max_length=10, choices=Trigger.choices)
    rules_version = models.CharField("phiên bản quy tắc", max_length=20)
    applied_settings = models.JSONField("thông số áp dụng")
    inputs = PackedJSONField("số liệu đầu vào")
    document = PackedJSONField("kết quả xếp hạng")
    superseded_at = models.DateTimeField("bị thay thế lúc", null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người mở lại kỳ",
    )
    superseded_reason = models.TextField("lý do mở lại", blank=True)

    class Meta:
        verbose_name = "kết quả tổng hợp"
        verbose_name_plural = "kết quả tổng hợp"
        ordering = ["period", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"], condition=Q(superseded_at__isnull=True),
                name="one_current_snapshot_per_period",
            ),
        ]

    def __str__(self):
        return f"Tổng hợp {self.period} lúc {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def prize_names(self) -> dict[str, str]:
        """Level key -> name, as the roll-up applied them."""
        return {key: prize_name_of(key, terms)
                for key, terms in self.applied_settings.get("prizes", {}).items()}


class Nomination(models.Model):
    """A department proposed for a collective prize by the compiler (R13), with its reason.

    Departments come after the ranked local offices, in `order` (R14).
    """

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="nominations", verbose_name="kỳ")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="nominations", verbose_name="phòng")
    reason = models.TextField("lý do đề nghị")
    order = models.PositiveSmallIntegerField("thứ tự ưu tiên", default=0)
    created_at = models.DateTimeField("lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người đề nghị",
    )

    class Meta:
        verbose_name = "đề nghị khen thưởng phòng"
        verbose_name_plural = "đề nghị khen thưởng phòng"
        ordering = ["period", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_nomination_per_period_unit"),
            models.CheckConstraint(condition=~Q(reason=""), name="nomination_has_reason"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.period}"


class RollupRunQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state__in=RollupRun.ACTIVE_STATES)


class RollupRunManager(models.Manager.from_queryset(RollupRunQuerySet)):
    # Reverse managers (`period.rollup_runs.all` in the ranking template) derive from the
    # default manager, so the history lists names without one query per run.
    def get_queryset(self):
        # The snapshot for its link and date; never its 4 MB of stored JSON.
        return (super().get_queryset().select_related("triggered_by", "snapshot")
                .defer("snapshot__inputs", "snapshot__document"))


class RollupRun(models.Model):
    """One request to roll a period up: by the compiler's button, the schedule or a command.

    A run is a log entry, not a lock: any number of runs of one period may race, the
    snapshot's one-current-per-period constraint lets one of them create the snapshot and the
    others finish "already rolled up". `created_snapshot` marks the run that made it, and the
    database allows one such run per snapshot.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Hoàn tất"
        FAILED = "failed", "Lỗi"

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="rollup_runs", verbose_name="kỳ")
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người yêu cầu", help_text="Trống: chạy theo lịch.",
    )
    trigger = models.CharField("cách chạy", max_length=10, choices=Snapshot.Trigger.choices)
    state = models.CharField("trạng thái", max_length=10, choices=State.choices, default=State.QUEUED)
    message = models.TextField("kết quả / lỗi", blank=True)
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs",
        verbose_name="kết quả tổng hợp",
    )
    created_snapshot = models.BooleanField("đã tạo kết quả mới", default=False)
    attempts = models.PositiveSmallIntegerField("số lần thử", default=0)
    task_id = models.CharField("mã tác vụ Celery", max_length=255, blank=True)
    created_at = models.DateTimeField("yêu cầu lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)

    objects = RollupRunManager()

    class Meta:
        verbose_name = "lần chạy tổng hợp"
        verbose_name_plural = "lần chạy tổng hợp"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot"], condition=Q(created_snapshot=True),
                name="one_creating_run_per_snapshot",
            ),
            models.CheckConstraint(
                condition=Q(created_snapshot=False) | Q(snapshot__isnull=False, state="done"),
                name="rollup_run_created_snapshot_is_done",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running"]) | Q(finished_at__isnull=False),
                name="rollup_run_finished_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.period} – {self.get_state_display()} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def requested_by_label(self) -> str:
        if self.triggered_by is not None:
            return self.triggered_by.get_full_name() or self.triggered_by.username
        return self.get_trigger_display()
