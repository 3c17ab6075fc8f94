from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """Roles are auth groups named by these values; admins are superusers."""

    UNIT_STAFF = "unit_staff", "Cán bộ đơn vị"
    COMPILER = "compiler", "Phòng Quản lý thu (tổng hợp)"
    APPRAISER = "appraiser", "Phòng Tổ chức - Hành chính (thẩm định)"
    FINANCE = "finance", "Phòng Kế hoạch - Tài chính"
    DIRECTOR = "director", "Giám đốc"


class Organisation(models.Model):
    """The office that runs the campaigns: what every page, e-mail, workbook and document prints
    of it. One row per installation, edited in the admin; nothing in the code names an office."""

    # Only ever 1: the constraint below keeps the table to a single row.
    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    name = models.CharField(
        "tên cơ quan", max_length=200, help_text="Tên đầy đủ, ví dụ: Bảo hiểm xã hội tỉnh …",
    )
    short_name = models.CharField(
        "tên viết tắt", max_length=100, help_text="Dùng ở tiêu đề trang và e-mail, ví dụ: BHXH tỉnh …",
    )
    parent = models.CharField(
        "cơ quan cấp trên", max_length=200,
        help_text="Dòng trên cùng bên trái của văn bản, ví dụ: Bảo hiểm xã hội Việt Nam",
    )
    place = models.CharField(
        "địa danh", max_length=100, help_text="Địa danh ghi trước ngày tháng của văn bản.",
    )
    document_symbol = models.CharField(
        "chữ viết tắt tên cơ quan trong ký hiệu văn bản", max_length=30,
        help_text="Phần sau dấu gạch của ký hiệu, ví dụ BHXH trong 123/QĐ-BHXH.",
    )
    head_title = models.CharField(
        "chức vụ người ký", max_length=100, help_text="Ví dụ: Giám đốc",
    )
    head_name = models.CharField("họ và tên người ký", max_length=200, blank=True)
    email_from = models.EmailField(
        "địa chỉ gửi thư", blank=True,
        help_text="Người gửi của thư tự động; để trống thì dùng DJANGO_DEFAULT_FROM_EMAIL.",
    )

    class Meta:
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=1), name="organisation_single_row"),
        ]

    def __str__(self):
        return self.name

    @property
    def decision_symbol(self) -> str:
        """The symbol of a decision of this office (Decree 30/2020, Appendix I): QĐ-<office>."""
        return f"QĐ-{self.document_symbol}"

    @classmethod
    def current(cls) -> "Organisation":
        """The installation's office; before the administrator has entered it, an unsaved one
        whose name says so, so every page still renders and shows what is missing."""
        found = cls.objects.first()
        if found is not None:
            return found
        missing = "(chưa khai báo cơ quan)"
        return cls(name=missing, short_name=missing, parent="", place="", document_symbol="",
                   head_title="")


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


class PasswordChangeRequired(models.Model):
    """An account that must choose its own password before anything else: one created in the
    admin with a temporary password. The row goes once the password is changed
    (units/passwords.py). Accounts made by code (the demo, the benchmark) get none."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="password_change_required", verbose_name="tài khoản")
    since = models.DateTimeField("từ lúc", auto_now_add=True)

    class Meta:
        verbose_name = "tài khoản phải đổi mật khẩu"
        verbose_name_plural = "tài khoản phải đổi mật khẩu"

    def __str__(self):
        return str(self.user)
