"""Import a campaign's targets from an Excel file: every row or none.

This module also holds what import_results shares with it (read, preview, print, then apply
or refuse). The commands run as a system import: whoever has a shell on the server already
holds every right, so the compiler-role check of the browser path would protect nothing
here and is bypassed (`system=True`). `--user` records who ran it; by default no user is
recorded. Any error stops the command with a non-zero exit before anything is written.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from campaign.import_preview import ImportRefused, import_parse
from campaign.imports import import_apply, import_upload
from campaign.xlsx import TARGETS, format_int, max_upload_bytes
from rules.formatting import format_number

from .export_template import get_campaign


class Command(BaseCommand):
    help = (
        "Nhập chỉ tiêu của phong trào từ tệp Excel theo mẫu (export_template targets). "
        "Mọi dòng hoặc không dòng nào: có lỗi thì in lỗi (trang, dòng, cột) và dừng với mã "
        "lỗi, không ghi gì. Lệnh chạy với quyền hệ thống (ai có shell trên máy chủ đã có mọi "
        "quyền), không kiểm tra vai trò; --user ghi nhận người nhập. "
        "Ví dụ: import_targets chi-tieu.xlsx --campaign <MÃ_PHONG_TRÀO>"
    )

    def add_arguments(self, parser):
        add_common_arguments(parser)

    def handle(self, *args, file, campaign, user, dry_run, **options):
        run_import(self, kind=TARGETS, campaign=get_campaign(campaign), period=None, path=file,
                   username=user, dry_run=dry_run)


def add_common_arguments(parser) -> None:
    parser.add_argument("file", help="Tệp .xlsx theo mẫu")
    parser.add_argument("--campaign", required=True, help="Mã phong trào")
    parser.add_argument(
        "--user", help="Tên đăng nhập ghi nhận là người nhập (mặc định: không ghi người nhập)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="Chỉ kiểm tra và in kết quả, không ghi gì",
    )


def run_import(command, *, kind, campaign, period, path, username, dry_run) -> None:
    user = None
    if username:
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Không có người dùng «{username}».") from None
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"Không tìm thấy tệp {path}.")
    limit = max_upload_bytes()
    size = file.stat().st_size
    if size > limit:
        raise CommandError(
            f"Tệp quá lớn ({format_int(size)} byte); giới hạn là {format_int(limit)} byte. "
            "Không có gì được ghi."
        )
    data = file.read_bytes()

    preview = import_parse(kind=kind, campaign=campaign, period=period, data=data,
                           file_name=file.name)
    report(command, preview)
    if not preview.ok:
        raise CommandError(
            f"Tệp bị từ chối: {format_int(len(preview.errors))} lỗi. Không có gì được ghi."
        )
    if dry_run:
        command.stdout.write("Chạy thử (--dry-run): không ghi gì.")
        return
    batch = None
    try:
        # One transaction around storing and applying: a refusal at apply time (a period
        # locked in between) leaves no batch behind either.
        with transaction.atomic():
            batch, _ = import_upload(user=user, kind=kind, campaign=campaign, period=period,
                                     upload=data, file_name=file.name, system=True)
            # The command printed the warnings with the preview; running it is accepting them.
            applied = import_apply(batch=batch, user=user, system=True, warnings_accepted=True)
    except ImportRefused as exc:
        if batch is not None:
            batch.file.delete(save=False)
        for error in exc.errors:
            command.stderr.write(f"  - {error}")
        raise CommandError(
            f"Tệp bị từ chối: {format_int(len(exc.errors))} lỗi. Không có gì được ghi."
        ) from None
    command.stdout.write(command.style.SUCCESS(
        f"Đã nhập (lần nhập số {batch.pk}): {format_int(applied.new_count)} mới, "
        f"{format_int(applied.changed_count)} thay đổi, "
        f"{format_int(applied.unchanged_count)} không đổi."
    ))


def report(command, preview) -> None:
    command.stdout.write(preview.summary())
    for warning in preview.warnings:
        command.stdout.write(command.style.WARNING(f"Lưu ý: {warning}"))
    # Doubtful figures are imported all the same; the compiler checks them before the roll-up.
    for warning in preview.figure_warnings:
        command.stdout.write(command.style.WARNING(f"Cảnh báo số liệu – {warning}"))
    if preview.errors:
        for error in preview.errors:
            command.stderr.write(f"  - {error}")
        return
    for line in preview.lines:
        text = f"  {line.unit.code:<10} {line.state_label}"
        if line.changes:
            text += ": " + "; ".join(change_text(c) for c in line.changes)
        command.stdout.write(text)


def change_text(change) -> str:
    """One change as the browser preview shows it (templates/campaign/excel/preview.html):
    people and đồng as 5.000.000, percentages with two places (3,50), the
    report's status as its label."""
    if change.field == "status":
        return f"{change.label} {change.old} → {change.new}"
    places = 2 if change.percent else 0
    return f"{change.label} {format_number(change.old, places)} → {format_number(change.new, places)}"
