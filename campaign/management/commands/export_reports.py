"""Write the reports of a period as a formatted Excel file."""

from pathlib import Path

from django.core.management.base import BaseCommand

from campaign.exports import reports_export

from .export_template import get_campaign, get_period


class Command(BaseCommand):
    help = (
        "Xuất báo cáo kết quả của mọi đơn vị trong một kỳ ra tệp Excel. Ví dụ: "
        "export_reports --campaign <MÃ_PHONG_TRÀO> --period 1 -o bao-cao-ky-1.xlsx"
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="Mã phong trào")
        parser.add_argument("--period", type=int, required=True, help="Số kỳ")
        parser.add_argument("-o", "--output", required=True, help="Đường dẫn tệp .xlsx sẽ ghi")

    def handle(self, *args, campaign, period, output, **options):
        period_obj = get_period(get_campaign(campaign), period)
        data = reports_export(period=period_obj)
        Path(output).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi báo cáo {period_obj.name} vào {output}."))
