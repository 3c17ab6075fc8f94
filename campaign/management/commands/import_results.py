"""Import a period's results from an Excel file as submitted reports: every row or none."""

from django.core.management.base import BaseCommand

from campaign.xlsx import RESULTS

from .export_template import get_campaign, get_period
from .import_targets import add_common_arguments, run_import


class Command(BaseCommand):
    help = (
        "Nhập kết quả thực hiện của một kỳ từ tệp Excel theo mẫu (export_template results); "
        "các báo cáo được ghi là đã gửi, nguồn «Nhập từ Excel». Mọi dòng hoặc không dòng nào: "
        "có lỗi (kể cả kỳ đã khóa sổ) thì in lỗi và dừng với mã lỗi, không ghi gì. Lệnh chạy "
        "với quyền hệ thống (ai có shell trên máy chủ đã có mọi quyền), không kiểm tra vai "
        "trò; --user ghi nhận người nhập. "
        "Ví dụ: import_results ket-qua.xlsx --campaign <MÃ_PHONG_TRÀO> --period 1"
    )

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--period", type=int, required=True, help="Số kỳ")

    def handle(self, *args, file, campaign, period, user, dry_run, **options):
        campaign_obj = get_campaign(campaign)
        run_import(self, kind=RESULTS, campaign=campaign_obj,
                   period=get_period(campaign_obj, period), path=file, username=user,
                   dry_run=dry_run)
