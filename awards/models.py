"""The award dossier of a period (hồ sơ đề nghị khen thưởng) and everything that hangs on it.

A roll-up makes the dossier (awards.receivers): its collective prize lines come from the
snapshot's allocation (R14). Before submitting, the compiler may nominate departments (R13),
drop or restore candidates and name individuals (R15); every such change is kept in
`DossierChange`. The dossier then moves through the workflow of docs/rules.md (draft → submitted →
returned | appraised → approved → paid); every step is a `DossierEvent`. Finance pays each
collective and each person of a decided dossier (`Payment`); the dossier is paid when every
one of them is.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from campaign.models import Period
from scoring.models import Snapshot
from units.models import Person, Unit


class Dossier(models.Model):
    """One period's award proposal, from the roll-up to the payment.

    At most one current (not cancelled) dossier per period, enforced by the database, so a
    repeated or concurrent roll-up cannot make two. Reopening the period cancels the open
    dossier (kept, with the reason); the next roll-up makes a new one.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        SUBMITTED = "submitted", "Đã trình, chờ thẩm định"
        RETURNED = "returned", "Bị trả lại để bổ sung"
        APPRAISED = "appraised", "Đã thẩm định, chờ phê duyệt"
        APPROVED = "approved", "Đã phê duyệt"
        PAID = "paid", "Đã chi trả"
        CANCELLED = "cancelled", "Đã hủy (mở lại kỳ)"

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="dossiers", verbose_name="kỳ")
    snapshot = models.OneToOneField(
        Snapshot, on_delete=models.PROTECT, related_name="dossier", verbose_name="kết quả tổng hợp"
    )
    state = models.CharField("trạng thái", max_length=10, choices=State.choices, default=State.DRAFT)
    # Bumped by every transition: an update that names the version it read (compare-and-swap)
    # cannot apply twice.
    version = models.PositiveIntegerField("phiên bản", default=1)
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)
    council_date = models.DateField("ngày họp Hội đồng Thi đua - Khen thưởng", null=True, blank=True)
    council_minutes = models.CharField("biên bản họp Hội đồng", max_length=100, blank=True)
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người phê duyệt",
    )
    cancelled_at = models.DateTimeField("hủy lúc", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người mở lại kỳ",
    )
    cancelled_reason = models.TextField("lý do hủy", blank=True)
    decision_sha256 = models.CharField(
        "mã băm SHA-256 của quyết định", max_length=64, blank=True, editable=False,
    )

    EDITABLE_STATES = (State.DRAFT, State.RETURNED)
    DECIDED_STATES = (State.APPROVED, State.PAID)

    class Meta:
        verbose_name = "hồ sơ khen thưởng"
        verbose_name_plural = "hồ sơ khen thưởng"
        ordering = ["period__campaign", "period__number", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"], condition=~Q(state="cancelled"),
                name="one_current_dossier_per_period",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["appraised", "approved", "paid"])
                | (Q(council_date__isnull=False) & ~Q(council_minutes="")),
                name="appraised_dossier_has_council",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "paid"])
                | (Q(decision_date__isnull=False) & ~Q(decision_number="")),
                name="approved_dossier_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(state="cancelled", cancelled_at__isnull=False)
                | (~Q(state="cancelled") & Q(cancelled_at__isnull=True)),
                name="cancelled_dossier_has_time",
            ),
        ]

    def __str__(self):
        return f"Hồ sơ khen thưởng {self.period.name}"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    @property
    def is_decided(self) -> bool:
        """Approved or paid: the documents are final, no longer drafts."""
        return self.state in self.DECIDED_STATES

    @property
    def is_current(self) -> bool:
        return self.state != self.State.CANCELLED


class AwardLine(models.Model):
    """A collective prize of the dossier: a unit, its prize on the ladder, the amount (R14, R16).

    The prize is its level's key on the campaign's ladder; its name is copied when the line
    is made, from the snapshot's terms, so the line reads the same whatever becomes of the
    ladder later."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="lines", verbose_name="hồ sơ")
    position = models.PositiveSmallIntegerField("vị trí trên thang giải")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="award_lines", verbose_name="tập thể")
    prize = models.CharField("mã giải", max_length=20)
    prize_name = models.CharField("giải", max_length=100)
    amount = models.PositiveBigIntegerField("tiền thưởng (đồng)")
    individual_quota = models.PositiveSmallIntegerField("số cá nhân tối đa")
    rank = models.PositiveSmallIntegerField("hạng (BHXH cơ sở)", null=True, blank=True)

    class Meta:
        verbose_name = "giải tập thể"
        verbose_name_plural = "giải tập thể"
        ordering = ["dossier", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "unit"], name="one_prize_per_unit_per_dossier"),
            models.UniqueConstraint(fields=["dossier", "position"], name="one_line_per_ladder_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="award_line_position_from_1"),
        ]

    def __str__(self):
        return f"{self.prize_name} – {self.unit}"


class Individual(models.Model):
    """A staff member of a prized collective, proposed for the individual prize (R15).

    The quota of the line is copied here so that the database itself refuses one too many:
    each individual takes a numbered slot, unique on its line and never above the quota, so
    two compilers adding the last place at once cannot both succeed. That the person belongs
    to the line's unit spans two tables, which a constraint cannot express without composite
    foreign keys; the service checks it under a lock of the line.
    """

    line = models.ForeignKey(AwardLine, on_delete=models.CASCADE, related_name="individuals", verbose_name="giải tập thể")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="awards", verbose_name="cá nhân")
    achievement = models.CharField("thành tích", max_length=500)
    has_initiative = models.BooleanField("có sáng kiến, giải pháp", default=False)
    slot = models.PositiveSmallIntegerField("suất")
    quota = models.PositiveSmallIntegerField("số suất của giải")
    amount = models.PositiveBigIntegerField("tiền thưởng (đồng)")
    created_at = models.DateTimeField("lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người đề nghị",
    )

    class Meta:
        verbose_name = "cá nhân được đề nghị"
        verbose_name_plural = "cá nhân được đề nghị"
        # R15: those with initiatives first.
        ordering = ["line", "-has_initiative", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["line", "person"], name="one_individual_prize_per_person_per_line"),
            models.UniqueConstraint(fields=["line", "slot"], name="one_individual_per_slot"),
            models.CheckConstraint(
                condition=Q(slot__gte=1) & Q(slot__lte=F("quota")), name="individual_within_quota",
            ),
            models.CheckConstraint(condition=~Q(achievement=""), name="individual_has_achievement"),
        ]

    def __str__(self):
        return f"{self.person.full_name} – {self.line}"


class Payment(models.Model):
    """Finance's record that one recipient of a decided dossier was paid: a collective (its
    prize line) or a person (their individual prize), on a day, against a voucher.

    The amount is the decided one, copied from the line or the individual when the payment is
    recorded; nothing typed. A recipient has at most one standing payment, which the database
    enforces, so a prize cannot be paid twice. A mistaken entry is not edited or deleted: it is
    cancelled with a reason (who, when and why stay on the row), and the recipient can then be
    paid again.
    """

    line = models.ForeignKey(
        AwardLine, on_delete=models.PROTECT, null=True, blank=True, related_name="payments",
        verbose_name="giải tập thể",
    )
    individual = models.ForeignKey(
        Individual, on_delete=models.PROTECT, null=True, blank=True, related_name="payments",
        verbose_name="cá nhân",
    )
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    paid_on = models.DateField("ngày chi")
    voucher = models.CharField("chứng từ chi", max_length=100, blank=True)
    # Not auto_now_add: the entries migrated from the former one-entry payment keep the time
    # that entry was made.
    recorded_at = models.DateTimeField("ghi nhận lúc", default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người ghi nhận",
    )
    cancelled_at = models.DateTimeField("hủy lúc", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người hủy",
    )
    cancel_reason = models.TextField("lý do hủy", blank=True)

    class Meta:
        verbose_name = "khoản chi tiền thưởng"
        verbose_name_plural = "khoản chi tiền thưởng"
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(line__isnull=False, individual__isnull=True)
                | Q(line__isnull=True, individual__isnull=False),
                name="payment_has_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["line"], condition=Q(cancelled_at__isnull=True, line__isnull=False),
                name="one_standing_payment_per_line",
            ),
            models.UniqueConstraint(
                fields=["individual"], condition=Q(cancelled_at__isnull=True, individual__isnull=False),
                name="one_standing_payment_per_individual",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True, cancel_reason="")
                | (Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="cancelled_payment_has_reason",
            ),
        ]

    def __str__(self):
        return f"Chi {self.amount} đồng – {self.individual or self.line}"

    @property
    def is_standing(self) -> bool:
        return self.cancelled_at is None


class Exclusion(models.Model):
    """A ranked local office the compiler took off the candidate list, with the reason (R14)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="exclusions", verbose_name="hồ sơ")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    reason = models.TextField("lý do")
    created_at = models.DateTimeField("lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người thực hiện",
    )

    class Meta:
        verbose_name = "đơn vị không đề nghị"
        verbose_name_plural = "đơn vị không đề nghị"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "unit"], name="one_exclusion_per_unit_per_dossier"),
            models.CheckConstraint(condition=~Q(reason=""), name="exclusion_has_reason"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.dossier}"


class DossierChange(models.Model):
    """Every change the compiler makes to the proposed lists: who, when, why, and the result."""

    class Action(models.TextChoices):
        NOMINATE = "nominate", "Đề nghị phòng"
        REORDER = "reorder", "Đổi thứ tự các phòng"
        DROP = "drop", "Bỏ khỏi danh sách"
        RESTORE = "restore", "Đưa lại vào danh sách"
        ADD_INDIVIDUAL = "add_individual", "Thêm cá nhân"
        EDIT_INDIVIDUAL = "edit_individual", "Sửa thông tin cá nhân"
        REMOVE_INDIVIDUAL = "remove_individual", "Bỏ cá nhân"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="changes", verbose_name="hồ sơ")
    action = models.CharField("thao tác", max_length=20, choices=Action.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="đơn vị"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="cá nhân"
    )
    reason = models.TextField("lý do")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người thực hiện",
    )
    at = models.DateTimeField("lúc", auto_now_add=True)
    lines_after = models.JSONField("danh sách giải sau thay đổi", default=list)

    class Meta:
        verbose_name = "điều chỉnh đề xuất"
        verbose_name_plural = "điều chỉnh đề xuất"
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="dossier_change_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} – {self.dossier}"


class DossierEvent(models.Model):
    """Every step of the workflow: who, when, from which state to which, and the comment."""

    class Action(models.TextChoices):
        CREATED = "created", "Lập hồ sơ (tổng hợp)"
        SUBMITTED = "submitted", "Trình thẩm định"
        RETURNED = "returned", "Trả lại để bổ sung"
        APPRAISED = "appraised", "Thẩm định"
        APPROVED = "approved", "Phê duyệt"
        PAYMENT = "payment", "Ghi nhận chi trả"
        UNPAID = "unpaid", "Hủy ghi nhận chi trả"
        PAID = "paid", "Chi trả xong"
        CANCELLED = "cancelled", "Hủy do mở lại kỳ"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events", verbose_name="hồ sơ")
    action = models.CharField("thao tác", max_length=10, choices=Action.choices)
    from_state = models.CharField("từ trạng thái", max_length=10, choices=Dossier.State.choices, blank=True)
    to_state = models.CharField("sang trạng thái", max_length=10, choices=Dossier.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="người thực hiện",
    )
    at = models.DateTimeField("lúc", auto_now_add=True)
    comment = models.TextField("ý kiến", blank=True)
    document_sha256 = models.CharField(
        "mã băm SHA-256 của văn bản ban hành", max_length=64, blank=True, editable=False,
    )

    class Meta:
        verbose_name = "lịch sử hồ sơ"
        verbose_name_plural = "lịch sử hồ sơ"
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="returned") | ~Q(comment=""), name="returned_event_has_comment",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} – {self.dossier}"


def _png_with_transparency(file) -> None:
    """Appendix I: signature and seal images are transparent PNGs, so the text under them shows."""
    from django.core.exceptions import ValidationError
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        image = Image.open(file)
        image.load()
    except (UnidentifiedImageError, OSError):
        raise ValidationError("Tệp không phải ảnh PNG đọc được.") from None
    finally:
        file.seek(0)
    if image.format != "PNG" or "A" not in image.getbands() and "transparency" not in image.info:
        raise ValidationError("Ảnh phải là PNG có nền trong suốt (kênh alpha).")


class SigningAppearance(models.Model):
    """What the signatures look like on a decision: the director's handwritten signature and
    the office's seal, uploaded by the administrator (the keys are configuration, not here)."""

    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    signature_image = models.FileField(
        "ảnh chữ ký của người ký", upload_to="signing/", validators=[_png_with_transparency],
        help_text="PNG nền trong suốt, mực màu xanh; hiện giữa chức vụ và họ tên người ký.",
    )
    seal_image = models.FileField(
        "ảnh con dấu", upload_to="signing/", validators=[_png_with_transparency],
        help_text="PNG nền trong suốt, màu đỏ; hiện đúng kích thước thật, trùm lên khoảng "
                  "1/3 ảnh chữ ký về phía bên trái.",
    )
    seal_diameter_mm = models.DecimalField(
        "đường kính con dấu (mm)", max_digits=4, decimal_places=1, default=36,
        help_text="Kích thước thật của con dấu, để ảnh dấu in đúng cỡ.",
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "ảnh chữ ký và con dấu"
        verbose_name_plural = "ảnh chữ ký và con dấu"
        constraints = [
            models.CheckConstraint(condition=Q(singleton=1), name="signing_appearance_single_row"),
            models.CheckConstraint(condition=Q(seal_diameter_mm__gte=10) & Q(seal_diameter_mm__lte=60),
                                   name="seal_diameter_plausible"),
        ]

    def __str__(self):
        return "Ảnh chữ ký và con dấu"


class IssuedDecision(models.Model):
    """The decision as issued: the exact bytes of the file rendered and signed once at
    approval. Every download serves these bytes; nothing changes them afterwards (a corrected
    decision is a new decision, on a new dossier)."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, related_name="issued_decision", verbose_name="hồ sơ",
    )
    content = models.BinaryField("tệp PDF", editable=False)
    sha256 = models.CharField("mã băm SHA-256", max_length=64, unique=True, editable=False)
    level = models.CharField(
        "mức chữ ký", max_length=20, blank=True, editable=False,
        help_text="PAdES-B-T (có dấu thời gian) hoặc PAdES-B-B; trống khi chưa ký số.",
    )
    signers = models.JSONField("người ký", default=list, editable=False)
    issued_at = models.DateTimeField("ban hành lúc", auto_now_add=True)

    class Meta:
        verbose_name = "quyết định đã ban hành"
        verbose_name_plural = "quyết định đã ban hành"
        ordering = ["-issued_at"]

    def __str__(self):
        return f"Quyết định {self.dossier.decision_number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A decision once issued cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A decision once issued cannot be deleted.")

    @property
    def is_signed(self) -> bool:
        return bool(self.level)
