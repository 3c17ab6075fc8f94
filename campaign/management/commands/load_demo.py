"""Load the demo (campaign.demo): idempotent, prints the demo logins."""

from django.core.management.base import BaseCommand

from campaign.demo import demo_load


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu (campaign/demo.py và fixtures/campaigns): cơ quan, phong trào mẫu và ba kỳ, các phòng, 24 "
        "BHXH cơ sở (tên mẫu theo các huyện cũ), viên chức, tài khoản mẫu cho từng vai trò, "
        "chỉ tiêu và báo cáo ba tháng. Chạy lại không thay đổi gì (đưa dữ liệu mẫu về giá "
        "trị ban đầu). Chỉ dùng để thử: mật khẩu mẫu là công khai."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-figures", action="store_true",
            help=(
                "Chỉ nạp tổ chức, phong trào, các kỳ, viên chức và tài khoản; không nạp chỉ "
                "tiêu và báo cáo (cho đơn vị sẽ tự nhập số liệu). Không xóa số liệu đã có."
            ),
        )

    def handle(self, *args, no_figures: bool = False, **options):
        summary = demo_load(with_figures=not no_figures)
        out = self.stdout
        out.write(self.style.SUCCESS(
            f"Đã nạp dữ liệu mẫu {summary.campaign}: {summary.departments} phòng, "
            f"{summary.local_offices} BHXH cơ sở, {summary.people} viên chức, "
            f"{summary.periods} kỳ, {summary.targets} chỉ tiêu, {summary.reports} báo cáo "
            f"({summary.created} dòng mới, {summary.updated} dòng cập nhật)."
        ))
        if no_figures:
            out.write("Không nạp chỉ tiêu và báo cáo (--no-figures).")
        headers = ("Tên đăng nhập", "Mật khẩu", "Vai trò", "Đơn vị")
        rows = [(x.username, x.password, x.role, x.unit) for x in summary.logins]
        widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
        out.write("")
        out.write("Tài khoản mẫu (CHỈ ĐỂ THỬ, không dùng trên máy chủ thật):")
        for i, row in enumerate([headers, *rows]):
            out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                out.write("  ".join("-" * width for width in widths))
