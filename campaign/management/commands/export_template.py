"""Write a blank Excel template of targets or of a period's results."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaign.exports import template_build
from campaign.models import Campaign, Period
from campaign.xlsx import RESULTS, TARGETS


class Command(BaseCommand):
    help = (
        "Xuất mẫu Excel để nhập số liệu: 'targets' (chỉ tiêu của phong trào) hoặc 'results' "
        "(kết quả thực hiện của một kỳ, cần --period). Ví dụ: "
        "export_template results --campaign <MÃ_PHONG_TRÀO> --period 1 -o mau-ky-1.xlsx"
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[TARGETS, RESULTS], help="targets | results")
        parser.add_argument("--campaign", required=True, help="Mã phong trào")
        parser.add_argument("--period", type=int, help="Số kỳ (bắt buộc với results)")
        parser.add_argument("-o", "--output", required=True, help="Đường dẫn tệp .xlsx sẽ ghi")

    def handle(self, *args, kind, campaign, period, output, **options):
        campaign_obj = get_campaign(campaign)
        period_obj = None
        if kind == RESULTS:
            if period is None:
                raise CommandError("Mẫu kết quả cần --period (số kỳ).")
            period_obj = get_period(campaign_obj, period)
        data = template_build(kind=kind, campaign=campaign_obj, period=period_obj)
        Path(output).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi mẫu {kind} vào {output} ({len(data)} byte)."))


def get_campaign(code: str) -> Campaign:
    try:
        return Campaign.objects.get(code=code)
    except Campaign.DoesNotExist:
        raise CommandError(f"Không có phong trào mã «{code}».") from None


def get_period(campaign: Campaign, number: int) -> Period:
    try:
        return campaign.periods.select_related("campaign").get(number=number)
    except Period.DoesNotExist:
        raise CommandError(f"Phong trào «{campaign.code}» không có kỳ {number}.") from None
