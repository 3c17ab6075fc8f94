from django.conf import settings
from django.db import models
from django.db.models import Q

from campaign.models import Period
from units.models import Unit


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
    inputs = models.JSONField("số liệu đầu vào")
    document = models.JSONField("kết quả xếp hạng")
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
