"""Restore a backup archive into a freshly migrated database, all or nothing."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone

from ops.archive import BackupError, describe
from ops.restore import restore
from rules.formatting import format_number


class Command(BaseCommand):
    help = (
        "Khôi phục dữ liệu từ tệp sao lưu (.zip do lệnh backup tạo) vào cơ sở dữ liệu mới tạo "
        "(đã chạy migrate, chưa có dữ liệu). Kiểm tra mã SHA-256 của từng phần trước khi ghi; "
        "mọi thứ trong một giao dịch: lỗi ở bất kỳ bước nào thì không thay đổi gì. "
        "--force XÓA TOÀN BỘ dữ liệu hiện có rồi mới khôi phục. "
        "Ví dụ: restore /var/backups/thidua-<năm>-<tháng>-<ngày>.zip"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu .zip")
        parser.add_argument(
            "--force", action="store_true",
            help="Xóa toàn bộ dữ liệu hiện có (flush) rồi khôi phục",
        )
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Không hỏi xác nhận khi dùng --force",
        )
        parser.add_argument("--database", default="default", help="Cơ sở dữ liệu (mặc định: default)")

    def handle(self, *args, file, force, interactive, database, **options):
        if force and interactive:
            answer = input(
                "--force sẽ XÓA TOÀN BỘ dữ liệu hiện có trong cơ sở dữ liệu rồi khôi phục từ "
                f"«{file}». Gõ «yes» để tiếp tục: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Đã hủy; không thay đổi gì.")
        try:
            result = restore(file, force=force, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(self.style.SUCCESS(
            f"Đã khôi phục bản sao lưu lúc {created_at_text(manifest.get('created_at'))} "
            f"(phiên bản {manifest.get('version')})."
        ))
        if result.flushed:
            self.stdout.write("Dữ liệu cũ đã được xóa trước khi khôi phục (--force).")
        self.stdout.write(
            f"Số bản ghi: {format_number(sum(result.counts.values()))} ({describe(result.counts)})."
        )
        self.stdout.write(f"Tệp đính kèm: {format_number(result.media_count)}.")


def created_at_text(value) -> str:
    """The manifest's ISO time ("YYYY-MM-DDT07:30:00+00:00") in local time (TIME_ZONE):
    "14:30 dd/mm/yyyy", as the pages write times. Text that is not an ISO time is shown as it is."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value or "–")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
