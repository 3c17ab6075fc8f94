"""Create or update a campaign from its definition file (TOML)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaign.definition import DefinitionError, parse
from campaign.setup import campaign_load


class Command(BaseCommand):
    help = (
        "Tạo phong trào từ tệp định nghĩa (TOML), hoặc cập nhật phong trào đã có theo tệp. "
        "Kỳ đã khóa giữ nguyên ngày và ngưỡng. Xem docs/campaigns.md. "
        "Ví dụ: campaign_load fixtures/campaigns/mau.toml"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .toml")

    def handle(self, *args, file, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Không đọc được tệp {file}: {exc}") from exc
        parsed = parse(text)
        for warning in parsed.warnings:
            self.stderr.write(self.style.WARNING(f"Lưu ý – {warning}"))
        if parsed.definition is None:
            raise CommandError(_errors(file, parsed.errors))
        try:
            result = campaign_load(definition=parsed.definition)
        except DefinitionError as exc:
            raise CommandError(_errors(file, exc.errors)) from exc
        campaign = result.campaign
        if result.created:
            self.stdout.write(self.style.SUCCESS(
                f"Đã tạo phong trào {campaign.code} với {campaign.periods.count()} kỳ."))
        elif result.changed:
            self.stdout.write(self.style.SUCCESS(
                f"Đã cập nhật phong trào {campaign.code}: {'; '.join(result.changed)}."))
        else:
            self.stdout.write(f"Phong trào {campaign.code} đã đúng như tệp: không có thay đổi.")


def _errors(file: str, errors: list[str]) -> str:
    lines = "\n".join(f"  - {e}" for e in errors)
    return f"Tệp {file} có {len(errors)} lỗi, chưa ghi gì:\n{lines}"
