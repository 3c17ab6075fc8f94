"""Make the missing draft dossiers of periods rolled up before the awards app was installed."""

from django.core.management.base import BaseCommand
from django.db import transaction

from awards import services
from scoring.models import Snapshot


class Command(BaseCommand):
    help = (
        "Lập hồ sơ khen thưởng dự thảo cho mỗi kỳ đã tổng hợp mà chưa có hồ sơ (kết quả tổng hợp "
        "hiện hành không có hồ sơ đi kèm). Chạy lại nhiều lần không tạo thêm gì."
    )

    def handle(self, *args, **options):
        made = 0
        snapshots = (
            Snapshot.objects.filter(superseded_at__isnull=True, dossier__isnull=True)
            .select_related("period").order_by("period__campaign", "period__number")
        )
        for snapshot in snapshots:
            with transaction.atomic():
                dossier = services.dossier_create_for_snapshot(snapshot=snapshot)
            made += 1
            self.stdout.write(f"Đã lập hồ sơ {dossier.pk} cho {snapshot.period}.")
        self.stdout.write(self.style.SUCCESS(f"Xong: {made} hồ sơ mới."))
