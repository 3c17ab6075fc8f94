import contextlib
import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaign.models import Campaign, Period
from rules.formatting import format_number
from scoring.models import Snapshot
from scoring.services import period_rollup
from scoring.templatetags.scoring_tags import prize_label


class Command(BaseCommand):
    help = (
        "Tổng hợp một kỳ thi đua: khóa kỳ, xếp hạng và lưu kết quả. Chạy lại trên kỳ đã khóa "
        "trả về đúng kết quả đã lưu. --json in một tài liệu JSON (giao diện ổn định, xem README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="mã phong trào, ví dụ NUOCRUT_QUY4")
        parser.add_argument("--period", required=True, type=int, help="số kỳ: 1, 2 hoặc 3")
        parser.add_argument("--json", action="store_true", help="chỉ in tài liệu JSON ra stdout")

    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(code=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"Không tìm thấy phong trào có mã {options['campaign']!r}.")
        period = Period.objects.filter(campaign=campaign, number=options["period"]).first()
        if period is None:
            numbers = ", ".join(str(n) for n in campaign.periods.values_list("number", flat=True))
            raise CommandError(
                f"Phong trào {campaign.code} không có kỳ {options['period']} (các kỳ: {numbers})."
            )
        # A first roll-up e-mails that the dossier is waiting; the console backend (the default)
        # prints those e-mails on stdout, where --json promises the document and nothing else.
        quiet = contextlib.redirect_stdout(sys.stderr) if options["json"] else contextlib.nullcontext()
        try:
            with quiet:
                snapshot, created = period_rollup(period=period, trigger=Snapshot.Trigger.COMMAND)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        document = snapshot.document
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{period.name}: {'đã tổng hợp và khóa sổ' if created else 'đã tổng hợp trước đó, kết quả không đổi'}"
            f" (lúc {timezone.localtime(snapshot.created_at):%H:%M %d/%m/%Y})."
        )
        for row in document["standings"]:
            rank = row["rank"] if row["rank"] is not None else "-"
            self.stdout.write(f"{rank!s:>3}  {row['unit']:<6} {row['name']:<40} {row['explanation']}")
        if document["province"]:
            self.stdout.write(f"Toàn tỉnh ({document['province']['unit']}): {document['province']['explanation']}")
        for award in document["awards"]:
            self.stdout.write(
                f"Đề xuất {prize_label(award)}: {award['unit']} ({format_number(award['amount'])} đồng)"
            )
