from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """Roles are auth groups named by these values; admins are superusers."""

    UNIT_STAFF = "unit_staff", "Cán bộ đơn vị"
    COMPILER = "compiler", "Phòng Quản lý thu (tổng hợp)"
    APPRAISER = "appraiser", "Phòng Tổ chức - Hành chính (thẩm định)"
    FINANCE = "finance", "Phòng Kế hoạch - Tài chính"
    DIRECTOR = "director", "Giám đốc"


class Unit(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", "Phòng nghiệp vụ"
        LOCAL_OFFICE = "local_office", "BHXH cơ sở"

    code = models.CharField("mã đơn vị", max_length=20, unique=True)
    name = models.CharField("tên đơn vị", max_length=200)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    is_collection_department = models.BooleanField(
        "là Phòng Quản lý thu", default=False,
        help_text="Phòng Quản lý thu và Phát triển người tham gia: chịu trách nhiệm số liệu toàn tỉnh.",
    )
    is_directorate = models.BooleanField(
        "là Ban Giám đốc", default=False,
        help_text="Ban Giám đốc phê duyệt khen thưởng; không phải phòng nghiệp vụ được đề nghị khen.",
    )
    active = models.BooleanField("đang hoạt động", default=True)
    order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_collection_department"],
                condition=models.Q(is_collection_department=True),
                name="one_collection_department",
            ),
            models.CheckConstraint(
                condition=models.Q(is_collection_department=False) | models.Q(kind="department"),
                name="collection_department_is_a_department",
            ),
            models.CheckConstraint(
                condition=models.Q(is_directorate=False)
                | models.Q(kind="department", is_collection_department=False),
                name="directorate_is_a_department_other_than_qlt",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_local_office(self) -> bool:
        return self.kind == self.Kind.LOCAL_OFFICE

    @property
    def reports_figures(self) -> bool:
        """Has reports, targets and a panel: an active local office or the collection department
        (the one-unit form of campaign.selectors.reporting_units)."""
        return self.active and (self.is_local_office or self.is_collection_department)


class Person(models.Model):
    """A staff member (viên chức, người lao động); the user account is optional."""

    full_name = models.CharField("họ và tên", max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="people", verbose_name="đơn vị")
    title = models.CharField("chức vụ", max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="person", verbose_name="tài khoản",
    )
    active = models.BooleanField("đang công tác", default=True)

    class Meta:
        verbose_name = "viên chức, người lao động"
        verbose_name_plural = "viên chức, người lao động"
        ordering = ["unit__order", "full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.unit.code})"
