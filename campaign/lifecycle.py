"""Where a campaign stands: in preparation, running, or finished (and then read-only).

A campaign is **finished** when all three hold:
- its end date has passed;
- every period is locked (rolled up);
- every award dossier of it is settled: paid, or cancelled by a reopened period. A decided
  dossier is paid when every collective and every person of its decision has been paid: the
  awards app moves it to paid with the payment of its last unpaid recipient, and back to
  approved if one of its payments is cancelled, under the dossier's row lock.

Nothing is set by hand: the campaign finishes by itself with its last payment, and before that
every step still open (a late roll-up, the last month's dossier) can be taken. Once finished it
stays so, because the only writes that could undo it (reopening a period, a dossier step) are
refused by `campaign_require_writable`, which every write service calls first.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, TextChoices
from django.utils import timezone

from .models import Campaign, Period

# awards.Dossier.State.PAID (every recipient paid) and CANCELLED: the dossier states after which
# nothing remains to do. Named by value because the campaign app sits below awards; a test keeps
# them in step, and another that a dossier is paid exactly when each of its recipients is.
SETTLED_DOSSIER_STATES = ("paid", "cancelled")


class Stage(TextChoices):
    PREPARING = "preparing", "Chuẩn bị"
    RUNNING = "running", "Đang diễn ra"
    FINISHED = "finished", "Đã kết thúc"


def campaign_is_finished(campaign: Campaign, *, today=None) -> bool:
    today = today or timezone.localdate()
    if campaign.end_date >= today:
        return False
    counts = Period.objects.filter(campaign=campaign).aggregate(
        open_periods=Count("pk", filter=Q(status=Period.Status.OPEN), distinct=True),
        all_dossiers=Count("dossiers", distinct=True),
        settled_dossiers=Count("dossiers", filter=Q(dossiers__state__in=SETTLED_DOSSIER_STATES),
                               distinct=True),
    )
    return counts["open_periods"] == 0 and counts["all_dossiers"] == counts["settled_dossiers"]


def campaign_stage(campaign: Campaign, *, today=None) -> Stage:
    today = today or timezone.localdate()
    if campaign.launch_date > today:
        return Stage.PREPARING
    if campaign_is_finished(campaign, today=today):
        return Stage.FINISHED
    return Stage.RUNNING


def finished_message(campaign: Campaign) -> str:
    return (f"Phong trào «{campaign.name}» đã kết thúc: số liệu, kết quả và hồ sơ khen thưởng "
            "của phong trào chỉ còn để xem, không thay đổi được nữa.")


def campaign_require_writable(campaign: Campaign) -> None:
    """Precondition of every write into a campaign: it is not finished."""
    if campaign_is_finished(campaign):
        raise ValidationError(finished_message(campaign))


def campaign_has_started(campaign: Campaign, *, today=None) -> bool:
    """Launched: its definition is what the units are measured against from now on."""
    return campaign.launch_date <= (today or timezone.localdate())


def started_message(campaign: Campaign) -> str:
    return (f"Phong trào «{campaign.name}» đã bắt đầu từ ngày {campaign.launch_date:%d/%m/%Y}: "
            "định nghĩa của phong trào (kỳ, ngưỡng, thang giải, kinh phí, mức thưởng, căn cứ, "
            "văn bản phát động) không sửa hay nạp lại trong ứng dụng được nữa, vì các đơn vị đang "
            "thi đua theo đó.")


def campaign_require_not_started(campaign: Campaign) -> None:
    """Precondition of the app's definition writes (edit, upload over it)."""
    if campaign_has_started(campaign):
        raise ValidationError(started_message(campaign))
