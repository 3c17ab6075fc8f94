"""Write a backup archive: every row of the project and the logins, the kept files, a manifest."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ops.archive import BackupError, describe
from ops.backup import backup
from rules.formatting import format_number


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ dữ liệu (đơn vị, viên chức, phong trào, chỉ tiêu, báo cáo, kết quả "
        "tổng hợp, khen thưởng, lịch sử thay đổi, tài khoản và nhóm quyền) và các tệp Excel "
        "đã lưu (MEDIA_ROOT) vào một tệp .zip có bản kê (phiên bản, thời điểm, số bản ghi, "
        "mã SHA-256 từng phần). Chạy được khi hệ thống đang hoạt động. "
        "Ví dụ: backup -o /var/backups/thidua-<năm>-<tháng>-<ngày>.zip"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", default="",
            help="Tệp .zip cần ghi (mặc định: thidua-backup-NĂMTHÁNGNGÀY-GIỜPHÚTGIÂY.zip)",
        )
        parser.add_argument("--database", default="default", help="Cơ sở dữ liệu (mặc định: default)")

    def handle(self, *args, output, database, **options):
        path = output or timezone.localtime().strftime("thidua-backup-%Y%m%d-%H%M%S.zip")
        try:
            result = backup(path, using=database)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Sao lưu không thành công: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(
            f"Đã sao lưu vào {result.path} ({format_number(result.size)} byte)."
        ))
        self.stdout.write(
            f"Số bản ghi: {format_number(sum(result.counts.values()))} ({describe(result.counts)})."
        )
        self.stdout.write(f"Tệp đính kèm: {format_number(result.media_count)}.")
        self.stdout.write(f"SHA-256 của tệp sao lưu: {result.sha256}")
