"""Write a campaign's definition file (TOML)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaign.definition import dump
from campaign.models import Campaign
from campaign.setup import definition_of


class Command(BaseCommand):
    help = (
        "Ghi tệp định nghĩa (TOML) của một phong trào; campaign_load đọc lại được. "
        "Ví dụ: campaign_dump MA_PHONG_TRAO -o phong-trao.toml"
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="Mã phong trào")
        parser.add_argument("-o", "--output", help="Tệp sẽ ghi; không có thì in ra màn hình")

    def handle(self, *args, code, output, **options):
        campaign = Campaign.objects.filter(code=code).first()
        if campaign is None:
            raise CommandError(f"Không có phong trào mã {code}.")
        text = dump(definition_of(campaign))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Đã ghi định nghĩa {code} vào {output}."))
        else:
            sys.stdout.write(text)
