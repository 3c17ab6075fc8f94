"""Check a decision file's signatures and whether this office issued it (awards.verification)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from awards.verification import verify


class Command(BaseCommand):
    help = ("Kiểm tra tệp PDF quyết định: từng chữ ký số còn toàn vẹn không, ai ký, ký lúc nào, "
            "chứng thư số có thuộc chuỗi tin cậy đã cấu hình không, và tệp có đúng là tệp cơ "
            "quan đã ban hành không. Mã thoát 0 khi hợp lệ, 1 khi không.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp PDF")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        result = verify(path.read_bytes())
        for line in result.lines():
            self.stdout.write(line)
        if not (result.ok and result.issued is not None):
            raise SystemExit(1)
