import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, router
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from units.models import Unit

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
SCHEMES = ("mandatory", "voluntary", "health")


def _percent_field(verbose_name: str, default=None, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS,
        default=default, **kwargs,
    )


def _within_0_100(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 100}), name=name
    )


def bump_version(instance: models.Model, save_kwargs: dict) -> None:
    """Every save of an existing row counts a new version, whichever path saves it (form,
    import, admin), so an editor holding an older version can be told instead of overwriting."""
    if instance.pk is None:
        return
    instance.version += 1
    update_fields = save_kwargs.get("update_fields")
    if update_fields is not None:
        save_kwargs["update_fields"] = {*update_fields, "version"}


def _update_each(model, objs: list) -> None:
    """The UPDATE that save() sends for an existing row (every concrete column after its
    field's pre_save, WHERE pk), sent once for all rows with executemany: one statement
    prepared once, the rows pipelined by psycopg (looped in C by SQLite).

    Not QuerySet.bulk_update: it writes one CASE WHEN per field with a branch per row, which
    the database evaluates for every row, quadratic in the batch size.
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    opts = model._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(opts.db_table), ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(opts.pk.column),
    )
    rows = [[f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields] + [obj.pk]
            for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class Campaign(models.Model):
    """One emulation campaign; every number the dispatch fixes is a setting here, the prize
    ladder in its PrizeLevel rows."""

    code = models.CharField("mã phong trào", max_length=30, unique=True)
    name = models.CharField("tên phong trào", max_length=300)
    legal_basis = models.TextField(
        "căn cứ pháp lý", blank=True,
        help_text="Mỗi dòng một văn bản, như in sau chữ «Căn cứ» trong quyết định khen thưởng.",
    )
    dispatch_number = models.CharField(
        "số văn bản phát động", max_length=50, blank=True, help_text="Ví dụ: 1234/BHXH-TCHC",
    )
    dispatch_date = models.DateField("ngày văn bản phát động", null=True, blank=True)
    year = models.PositiveSmallIntegerField("năm")
    launch_date = models.DateField("ngày phát động")
    end_date = models.DateField("ngày kết thúc")
    baseline_date = models.DateField(
        "ngày chốt số người tham gia ban đầu", blank=True,
        help_text="Số người phải phát triển = kế hoạch − số người tham gia đến ngày này; "
                  "để trống là ngày 31/12 năm trước.",
    )
    tie_decimals = models.PositiveSmallIntegerField(
        "số chữ số thập phân khi so sánh tương đương", default=1,
        validators=[MaxValueValidator(4)],
    )
    individual_amount = models.PositiveBigIntegerField("tiền thưởng mỗi cá nhân (đồng)", default=500_000)
    budget = models.PositiveBigIntegerField("kinh phí khen thưởng (đồng)", default=54_000_000)

    class Meta:
        verbose_name = "phong trào thi đua"
        verbose_name_plural = "phong trào thi đua"
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("launch_date")), name="campaign_end_after_launch"),
            models.CheckConstraint(condition=Q(tie_decimals__lte=4), name="campaign_tie_decimals_max_4"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self._default_baseline()
        super().save(*args, **kwargs)

    def clean(self):
        self._default_baseline()

    def _default_baseline(self):
        # R1 counts from 31/12 of the year before unless the campaign says otherwise.
        if self.baseline_date is None and self.year:
            self.baseline_date = dt.date(self.year - 1, 12, 31)

    @property
    def legal_basis_lines(self) -> list[str]:
        """One act a line, as the decision prints them after «Căn cứ»."""
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]


class PrizeLevel(models.Model):
    """A step of the campaign's prize ladder (R14-R16): given in `position` order, `count`
    collectives a period, each with `amount` đồng and up to `individuals` staff members."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="prize_levels", verbose_name="phong trào")
    position = models.PositiveSmallIntegerField("thứ tự trao")
    key = models.SlugField(
        "mã giải", max_length=20, help_text="Chữ thường không dấu, ví dụ first, khuyen-khich.",
    )
    name = models.CharField("tên giải", max_length=100)
    count = models.PositiveSmallIntegerField("số giải mỗi kỳ")
    amount = models.PositiveBigIntegerField("tiền thưởng tập thể (đồng)")
    individuals = models.PositiveSmallIntegerField("số cá nhân mỗi tập thể")

    class Meta:
        verbose_name = "mức giải"
        verbose_name_plural = "các mức giải"
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="one_prize_level_per_position"),
            models.UniqueConstraint(fields=["campaign", "key"], name="one_prize_level_per_key"),
        ]

    def __str__(self):
        return f"{self.name} ({self.campaign.code})"


class Period(models.Model):
    """A month of the campaign (kỳ thi đua); figures are cumulative to its last day."""

    class Status(models.TextChoices):
        OPEN = "open", "Đang mở"
        LOCKED = "locked", "Đã khóa"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="periods", verbose_name="phong trào")
    number = models.PositiveSmallIntegerField("kỳ")
    name = models.CharField("tên kỳ", max_length=100)
    first_day = models.DateField("từ ngày")
    last_day = models.DateField("đến ngày")
    participant_threshold = _percent_field("ngưỡng phát triển người tham gia (%)")
    revenue_threshold = _percent_field("ngưỡng tỷ lệ thu (%)")
    rollup_due_at = models.DateTimeField("hạn tổng hợp")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = "kỳ thi đua"
        verbose_name_plural = "kỳ thi đua"
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="one_period_number_per_campaign"),
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="period_last_after_first"),
            _within_0_100("participant_threshold", "period_participant_threshold_0_100"),
            _within_0_100("revenue_threshold", "period_revenue_threshold_0_100"),
        ]

    # What a roll-up's snapshot and the documents of its dossier rest on: read-only while the
    # period is locked, whatever writes it (admin, command, service). Only `status` moves,
    # through the roll-up and period_reopen (with a reason).
    FROZEN_WHEN_LOCKED = ("campaign", "number", "name", "first_day", "last_day",
                          "participant_threshold", "revenue_threshold", "rollup_due_at")

    def __str__(self):
        return f"{self.name} ({self.campaign.code})"

    def save(self, *args, **kwargs):
        # The last guard, for paths that skip clean() (a command, a script, a shell): a
        # locked period's frozen fields are refused here too.
        if self.locked_changes(kwargs.get("update_fields")):
            raise ValidationError(self.locked_message())
        super().save(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED

    def locked_changes(self, fields=None) -> list[str]:
        """The frozen fields this unsaved state would change on a period stored as locked."""
        if self.pk is None:
            return []
        names = [f for f in self.FROZEN_WHEN_LOCKED if fields is None or f in fields]
        if not names:
            return []
        attnames = [self._meta.get_field(f).attname for f in names]
        stored = type(self).objects.filter(pk=self.pk).values("status", *attnames).first()
        if stored is None or stored["status"] != self.Status.LOCKED:
            return []
        return [name for name, attname in zip(names, attnames, strict=True)
                if getattr(self, attname) != stored[attname]]

    def locked_message(self) -> str:
        return (f"{self.name} đã khóa sổ và đã có kết quả tổng hợp: thời gian, ngưỡng và các "
                "thông tin khác của kỳ không sửa được (kết quả và hồ sơ khen thưởng dựa trên "
                "chúng). Muốn sửa, Phòng Quản lý thu phải mở lại kỳ, nêu lý do.")

    def sequence_errors(self) -> dict[str, str]:
        """R1 reads the periods as consecutive months: one period of a campaign may not overlap
        another, nor leave days between itself and the periods numbered next to it."""
        if self.campaign_id is None or self.first_day is None or self.last_day is None:
            return {}
        errors = {}
        others = type(self).objects.filter(campaign_id=self.campaign_id).exclude(pk=self.pk)
        clash = others.filter(first_day__lte=self.last_day, last_day__gte=self.first_day).first()
        if clash is not None:
            errors["first_day"] = (
                f"Trùng thời gian với {clash.name} ({clash.first_day:%d/%m/%Y} – "
                f"{clash.last_day:%d/%m/%Y}): các kỳ của một phong trào không được chồng lên nhau."
            )
        before = others.filter(number=self.number - 1).first() if self.number else None
        after = others.filter(number=self.number + 1).first() if self.number is not None else None
        if before is not None and before.last_day + dt.timedelta(days=1) != self.first_day:
            errors.setdefault("first_day", (
                f"Kỳ phải bắt đầu ngay sau {before.name} (kết thúc {before.last_day:%d/%m/%Y}), "
                f"tức ngày {before.last_day + dt.timedelta(days=1):%d/%m/%Y}."
            ))
        if after is not None and self.last_day + dt.timedelta(days=1) != after.first_day:
            errors["last_day"] = (
                f"Kỳ phải kết thúc ngay trước {after.name} (bắt đầu {after.first_day:%d/%m/%Y}), "
                f"tức ngày {after.first_day - dt.timedelta(days=1):%d/%m/%Y}."
            )
        return errors

    def clean(self):
        super().clean()
        changed = self.locked_changes()
        if changed:
            raise ValidationError({name: self.locked_message() for name in changed})
        errors = self.sequence_errors()
        if errors:
            raise ValidationError(errors)


class Target(models.Model):
    """What the province assigned a unit for the year (chỉ tiêu giao)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets", verbose_name="phong trào")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="targets", verbose_name="đơn vị")
    mandatory_plan = models.PositiveIntegerField("KH BHXH bắt buộc")
    mandatory_base = models.PositiveIntegerField("BHXH bắt buộc ngày chốt")
    voluntary_plan = models.PositiveIntegerField("KH BHXH tự nguyện")
    voluntary_base = models.PositiveIntegerField("BHXH tự nguyện ngày chốt")
    health_plan = models.PositiveIntegerField("KH BHYT")
    health_base = models.PositiveIntegerField("BHYT ngày chốt")
    revenue_plan = models.PositiveBigIntegerField("KH số thu (đồng)")
    late_max = _percent_field("trần tỷ lệ chậm đóng (%)")
    late_interest_max = _percent_field("trần tỷ lệ chậm đóng phải tính lãi (%)")
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người cập nhật",
    )
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)
    history = HistoricalRecords(verbose_name="lịch sử chỉ tiêu")

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["campaign", "unit__kind", "unit__order", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="one_target_per_campaign_unit"),
            _within_0_100("late_max", "target_late_max_0_100"),
            _within_0_100("late_interest_max", "target_late_interest_max_0_100"),
        ]

    def __str__(self):
        return f"Chỉ tiêu {self.unit} – {self.campaign.code}"

    def save(self, *args, **kwargs):
        bump_version(self, kwargs)
        super().save(*args, **kwargs)


class ImportBatch(models.Model):
    """One uploaded spreadsheet, kept for audit whether it was applied or refused."""

    class Kind(models.TextChoices):
        TARGETS = "targets", "Chỉ tiêu"
        RESULTS = "results", "Kết quả thực hiện"

    class Status(models.TextChoices):
        PREVIEW = "preview", "Chờ xác nhận"
        APPLIED = "applied", "Đã nhập"
        REFUSED = "refused", "Bị từ chối"
        CANCELLED = "cancelled", "Đã hủy"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="imports", verbose_name="phong trào")
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, null=True, blank=True, related_name="imports", verbose_name="kỳ"
    )
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    file = models.FileField("tệp", upload_to="imports/%Y/%m/")
    original_name = models.CharField("tên tệp gốc", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PREVIEW)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người nhập",
    )
    uploaded_at = models.DateTimeField("lúc", auto_now_add=True)
    applied_at = models.DateTimeField("áp dụng lúc", null=True, blank=True)
    row_count = models.PositiveIntegerField("số dòng", default=0)
    errors = models.JSONField("lỗi", default=list, blank=True)

    class Meta:
        verbose_name = "lần nhập Excel"
        verbose_name_plural = "lần nhập Excel"
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="targets") | Q(period__isnull=False), name="results_import_has_period"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.original_name}"


class Report(models.Model):
    """A unit's results as of its period's last day (kết quả thực hiện), cumulative."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        SUBMITTED = "submitted", "Đã gửi"

    class Source(models.TextChoices):
        FORM = "form", "Nhập trên web"
        IMPORT = "import", "Nhập từ Excel"

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reports", verbose_name="kỳ")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports", verbose_name="đơn vị")
    mandatory_actual = models.PositiveIntegerField("BHXH bắt buộc")
    voluntary_actual = models.PositiveIntegerField("BHXH tự nguyện")
    health_actual = models.PositiveIntegerField("BHYT")
    mandatory_last_year = models.PositiveIntegerField("BHXH bắt buộc cùng kỳ")
    voluntary_last_year = models.PositiveIntegerField("BHXH tự nguyện cùng kỳ")
    health_last_year = models.PositiveIntegerField("BHYT cùng kỳ")
    revenue = models.PositiveBigIntegerField("số thu lũy kế (đồng)")
    nonpublic_revenue = models.PositiveBigIntegerField("số thu khối DN, HTX, ngoài công lập (đồng)")
    due = models.PositiveBigIntegerField("số phải thu (đồng)")
    late = models.PositiveBigIntegerField("số tiền chậm đóng (đồng)")
    late_interest = models.PositiveBigIntegerField("số tiền chậm đóng phải tính lãi (đồng)")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField("nguồn", max_length=10, choices=Source.choices, default=Source.FORM)
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports",
        verbose_name="lần nhập Excel",
    )
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người gửi",
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người cập nhật",
    )
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)
    history = HistoricalRecords(verbose_name="lịch sử báo cáo")

    class Meta:
        verbose_name = "báo cáo kết quả"
        verbose_name_plural = "báo cáo kết quả"
        ordering = ["period", "unit__kind", "unit__order", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_report_per_period_unit"),
            models.CheckConstraint(
                condition=Q(nonpublic_revenue__lte=F("revenue")), name="report_nonpublic_within_revenue"
            ),
            models.CheckConstraint(
                condition=Q(late_interest__lte=F("late")), name="report_late_interest_within_late"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"Báo cáo {self.unit} – {self.period}"

    def save(self, *args, **kwargs):
        bump_version(self, kwargs)
        super().save(*args, **kwargs)

    @classmethod
    def save_all(cls, reports: list["Report"], *, batch_size: int = 500) -> None:
        """`save()` for many reports in a few statements whatever their number: the one bulk
        write of reports (the results import: a national file holds ~2,400 rows, and its query
        count stays flat).

        It has save()'s effects, each by the hook save() itself uses, and a test holds it to
        them (tests/campaign/test_report_save_all.py): an existing report counts one more
        version (`bump_version`) and has every column written after its field's `pre_save`
        (so `updated_at` moves as auto_now moves it); a new report is inserted and gets its
        primary key back; each gets its simple-history row ("~" or "+", its user found as
        save() finds it: the request's user, or none outside a request). No other receiver
        listens to a report's save.
        """
        existing = [report for report in reports if report.pk is not None]
        new = [report for report in reports if report.pk is None]
        if existing:
            for report in existing:
                bump_version(report, {})
            _update_each(cls, existing)
            cls.history.bulk_history_create(existing, update=True, default_change_reason=None,
                                            batch_size=batch_size)
        if new:
            cls.objects.bulk_create(new, batch_size=batch_size)
            cls.history.bulk_history_create(new, default_change_reason=None, batch_size=batch_size)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class ReportEvent(models.Model):
    """Every step of a report's life: who, when, and why."""

    class Action(models.TextChoices):
        SAVED = "saved", "Lưu nháp"
        SUBMITTED = "submitted", "Gửi báo cáo"
        RETURNED = "returned", "Trả lại để sửa"
        IMPORTED = "imported", "Nhập từ Excel"
        ACKNOWLEDGED = "acknowledged", "Xác nhận cảnh báo số liệu"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events", verbose_name="báo cáo")
    action = models.CharField("thao tác", max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người thực hiện",
    )
    at = models.DateTimeField("lúc", auto_now_add=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "lịch sử báo cáo"
        verbose_name_plural = "lịch sử báo cáo"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} – {self.report}"


class WarningAcknowledgement(models.Model):
    """The compiler's word that a figure a plausibility rule doubts is right (rules/plausibility.py).

    Tied to the numbers the warning rested on (`evidence`): once a figure changes, the warning
    it raised no longer matches and shows again. Written only by
    `campaign.services.warning_acknowledge`, never changed afterwards.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="acknowledgements",
                               verbose_name="báo cáo")
    key = models.CharField("cảnh báo", max_length=60)  # rule:field
    evidence = models.CharField("số liệu được xác nhận", max_length=200)
    message = models.TextField("nội dung cảnh báo")
    note = models.TextField("lý do xác nhận")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name="người xác nhận")
    at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        verbose_name = "xác nhận cảnh báo số liệu"
        verbose_name_plural = "xác nhận cảnh báo số liệu"
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key", "evidence"],
                                    name="one_acknowledgement_per_warning_and_figures"),
        ]

    def __str__(self):
        return f"Xác nhận {self.key} – {self.report}"


class SentMail(models.Model):
    """An automatic e-mail, claimed by its row before it goes out (the row is deleted again if
    it could not be sent), so that a retried or repeated task never sends it twice."""

    recipients = models.TextField("gửi tới")
    # The mail server refused every address for good: recorded, so it is not tried again.
    refused = models.BooleanField("bị từ chối", default=False)
    sent_at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-sent_at", "-id"]


class ReportReminder(SentMail):
    """The reminder e-mail a unit got about a period's unsubmitted report (campaign/reminders.py).

    One per period and unit, by the constraint: a retried, repeated or concurrent run never
    sends it twice, and a run on a later day of the window sends it to the units that an
    outage of the mail server left out."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders",
                               verbose_name="kỳ")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name="đơn vị")

    class Meta(SentMail.Meta):
        verbose_name = "thư nhắc gửi báo cáo"
        verbose_name_plural = "thư nhắc gửi báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_reminder_per_period_unit"),
        ]

    def __str__(self):
        return f"Nhắc {self.unit} – {self.period}"


class ReportReturnNotice(SentMail):
    """The e-mail that told a unit's staff their report was returned (campaign/notices.py).

    One per return, by the constraint: a retried or redelivered task never sends it twice."""

    event = models.OneToOneField(ReportEvent, on_delete=models.CASCADE, related_name="notice",
                                 verbose_name="lần trả lại")

    class Meta(SentMail.Meta):
        verbose_name = "thư báo trả lại báo cáo"
        verbose_name_plural = "thư báo trả lại báo cáo"

    def __str__(self):
        return f"Báo trả lại – {self.event.report}"
