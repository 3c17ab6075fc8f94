"""backup / restore: a full round trip gives back every row and every kept file, byte for byte;
a database with data and a tampered archive are refused without changing anything."""

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from campaign.exports import template_build
from campaign.imports import import_results_apply, import_upload
from campaign.models import ImportBatch, Report
from campaign.xlsx import RESULTS
from ops import archive
from ops import backup as backup_module
from ops import restore as restore_module
from ops.management.commands import backup as backup_command
from ops.management.commands import restore as restore_command
from scoring.services import period_rollup
from units.models import Organisation, Unit

from ..campaign import excel_factories as f
from ..conftest import report_figures


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def dataset(cast, make_report, media):
    """The cast with its prize ladder and the office, reports of every status, a roll-up
    snapshot and an import batch with its file."""
    Organisation.objects.create(
        name="Bảo hiểm xã hội tỉnh Thử", short_name="BHXH tỉnh Thử", parent="Bảo hiểm xã hội Việt Nam",
        place="Thử", document_symbol="BHXH", head_title="Giám đốc", head_name="Nguyễn Văn A",
    )
    make_report(cast.period1, cast.office_a)
    make_report(cast.period1, cast.office_b, mandatory_actual=9_400, voluntary_actual=3_900,
                health_actual=99_000, revenue=240_000_000_000)
    make_report(cast.period1, cast.office_c, mandatory_actual=9_450, voluntary_actual=3_950,
                health_actual=99_500, revenue=241_000_000_000)
    period_rollup(period=cast.period1, user=cast.compiler)
    make_report(cast.periods[1], cast.office_a, status=Report.Status.DRAFT)
    template = template_build(kind=RESULTS, campaign=cast.campaign, period=cast.periods[1])
    workbook = f.fill(template, {"BBB": f.labelled(RESULTS, report_figures(revenue=231_000_000_000))})
    batch, _ = import_upload(user=cast.compiler, kind=RESULTS, campaign=cast.campaign,
                             period=cast.periods[1], upload=workbook, file_name="kết quả kỳ 2.xlsx")
    import_results_apply(batch=batch, user=cast.compiler)
    assert batch.file and Path(batch.file.path).is_file()
    (media / "ghi-chu" / "lồng nhau").mkdir(parents=True)
    (media / "ghi-chu" / "lồng nhau" / "bien-ban.txt").write_bytes("Biên bản họp\n".encode())
    return cast


def snapshot_rows() -> dict[str, list[dict]]:
    """Every backed-up model's rows as values, and the many-to-many links, in a fixed order."""
    rows = {}
    for model in archive.backup_models():
        if model is Group:
            rows["auth.group"] = sorted(
                (g.name, sorted(g.permissions.values_list("codename", flat=True)))
                for g in Group.objects.all()
            )
            continue
        rows[model._meta.label_lower] = list(model._base_manager.order_by("pk").values())
    rows["auth.user.groups"] = sorted(
        (u.username, sorted(u.groups.values_list("name", flat=True))) for u in User.objects.all()
    )
    return rows


def media_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def flush_everything(media: Path) -> None:
    """As on a new server: a freshly migrated, empty database, and no files."""
    # Inside the test's transaction PostgreSQL will not TRUNCATE tables with deferred
    # foreign-key checks pending: run them now.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def test_round_trip_gives_back_every_row_and_file(dataset, media, tmp_path):
    before, files_before = snapshot_rows(), media_bytes(media)
    assert len(before["scoring.snapshot"]) == 1 and len(before["campaign.importbatch"]) == 1
    assert len(before["campaign.report"]) == 5 and len(files_before) == 2
    assert len(before["campaign.prizelevel"]) == 3 and len(before["units.organisation"]) == 1
    archive = tmp_path / "sao-luu" / "thidua.zip"
    call_command("backup", "-o", str(archive), verbosity=0)

    flush_everything(media)
    assert not User.objects.exists() and not Report.objects.exists() and media_bytes(media) == {}
    call_command("restore", str(archive), verbosity=0)

    assert snapshot_rows() == before
    assert [level.key for level in dataset.campaign.prize_levels.all()] == ["first", "second", "third"]
    assert Organisation.current().head_name == "Nguyễn Văn A"
    assert media_bytes(media) == files_before
    batch = ImportBatch.objects.get()
    assert batch.file.read() == files_before[batch.file.name]


def test_manifest_lists_counts_versions_and_checksums(dataset, tmp_path):
    result = backup_module.backup(tmp_path / "b.zip")
    with zipfile.ZipFile(result.path) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "thidua-backup" and manifest["version"]
    assert manifest["models"]["campaign.report"] == 5
    assert manifest["models"]["auth.user"] == User.objects.count()
    assert manifest["models"]["units.unit"] == Unit.objects.count()
    assert "units" in manifest["migrations"] and manifest["database"] == connection.vendor
    assert names == set(manifest["files"]) | {"manifest.json"}
    assert all(len(part["sha256"]) == 64 for part in manifest["files"].values())
    # Not project data: content types, permissions, sessions, the admin log.
    assert not any(label.startswith(("contenttypes.", "sessions.", "admin.")) for label in manifest["models"])
    assert "auth.permission" not in manifest["models"]


def test_new_rows_after_restore_get_fresh_ids(dataset, media, tmp_path, make_report):
    archive = backup_module.backup(tmp_path / "b.zip").path
    highest = Report.objects.order_by("-pk").first().pk
    flush_everything(media)
    restore_module.restore(archive)
    # On PostgreSQL this needs the sequence reset; without it the insert collides.
    report = make_report(dataset.periods[2], Unit.objects.get(code="AAA"))
    assert report.pk > highest


def test_restore_refuses_a_database_that_has_data(dataset, tmp_path):
    archive = backup_module.backup(tmp_path / "b.zip").path
    Unit.objects.filter(code="CCC").update(name="Tên đã sửa sau khi sao lưu")
    before = snapshot_rows()
    with pytest.raises(CommandError, match="Cơ sở dữ liệu đang có dữ liệu.*--force"):
        call_command("restore", str(archive), verbosity=0)
    assert snapshot_rows() == before


def test_force_replaces_what_is_there(dataset, tmp_path):
    original = snapshot_rows()
    archive = backup_module.backup(tmp_path / "b.zip").path
    Unit.objects.filter(code="CCC").update(name="Tên đã sửa sau khi sao lưu")
    User.objects.create_user("nguoi_moi", password="x")
    call_command("restore", str(archive), "--force", "--noinput", verbosity=0)
    assert snapshot_rows() == original


def _rewrite(archive: Path, target: Path, *, change: dict[str, bytes] | None = None,
             add: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            if info.filename in drop:
                continue
            out.writestr(info.filename, (change or {}).get(info.filename, source.read(info.filename)))
        for name, data in (add or {}).items():
            out.writestr(name, data)
    return target


@pytest.mark.parametrize("tamper", ["data", "media", "extra", "missing", "escape"])
def test_restore_refuses_a_tampered_archive_and_changes_nothing(dataset, media, tmp_path, tamper):
    archive = backup_module.backup(tmp_path / "b.zip").path
    with zipfile.ZipFile(archive) as zipped:
        data = zipped.read("data.json")
        media_name = next(n for n in zipped.namelist() if n.startswith("media/imports/"))
    bad = tmp_path / "bad.zip"
    if tamper == "data":
        _rewrite(archive, bad, change={"data.json": data.replace(b"230000000000", b"990000000000", 1)})
    elif tamper == "media":
        _rewrite(archive, bad, change={media_name: b"PK\x03\x04 not the kept spreadsheet"})
    elif tamper == "extra":
        _rewrite(archive, bad, add={"media/thua.txt": b"extra"})
    elif tamper == "missing":
        _rewrite(archive, bad, drop=(media_name,))
    else:
        _rewrite(archive, bad, add={"media/../../thoat.txt": b"escape"})
    flush_everything(media)
    with pytest.raises(CommandError, match="bị hỏng hoặc đã bị sửa; không khôi phục"):
        call_command("restore", str(bad), verbosity=0)
    assert not User.objects.exists() and not Report.objects.exists()
    assert media_bytes(media) == {}
    assert not (tmp_path.parent / "thoat.txt").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    path = tmp_path / "khong-phai.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="không phải là tệp sao lưu"):
        call_command("restore", str(path), verbosity=0)


def test_restore_refuses_an_archive_from_a_newer_schema(dataset, media, tmp_path):
    archive = backup_module.backup(tmp_path / "b.zip").path
    with zipfile.ZipFile(archive) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
    manifest["migrations"]["units"].append("9999_from_the_future")
    bad = _rewrite(archive, tmp_path / "newer.zip",
                   change={"manifest.json": json.dumps(manifest).encode()})
    flush_everything(media)
    with pytest.raises(CommandError, match="phiên bản chương trình mới hơn.*units.9999_from_the_future"):
        call_command("restore", str(bad), verbosity=0)


# --- what the commands print: Vietnamese numbers and local times -------------------------------

def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


COUNTS = {"campaign.report": 2_400, "units.unit": 1_050, "campaign.target": 0}


def test_describe_groups_thousands_and_leaves_out_empty_models(db):
    assert archive.describe(COUNTS) == "báo cáo kết quả 2.400, đơn vị 1.050"


def test_backup_prints_size_and_counts_with_dot_thousands(db, monkeypatch, tmp_path):
    result = backup_module.BackupResult(path=tmp_path / "b.zip", sha256="0" * 64, size=12_345_678,
                                        counts=COUNTS, media_count=1_200)
    monkeypatch.setattr(backup_command, "backup", lambda path, using: result)
    out = run("backup", "-o", str(result.path))
    assert "(12.345.678 byte)." in out
    assert "Số bản ghi: 3.450 (báo cáo kết quả 2.400, đơn vị 1.050)." in out
    assert "Tệp đính kèm: 1.200." in out


@pytest.mark.parametrize("created_at", [
    "2025-11-05T14:30:15.123456+07:00",  # as backup() writes it: local time with its offset
    "2025-11-05T07:30:15+00:00",  # the same moment written in UTC
    "2025-11-05T14:30:15",  # no offset: taken as local time
])
def test_restore_prints_the_backup_time_in_local_time_as_the_pages_do(db, monkeypatch, created_at):
    result = restore_module.RestoreResult(manifest={"created_at": created_at, "version": "1.0"},
                                         counts=COUNTS, media_count=1_200, flushed=False)
    monkeypatch.setattr(restore_command, "restore", lambda path, force, using: result)
    out = run("restore", "sao-luu.zip")
    assert "Đã khôi phục bản sao lưu lúc 14:30 05/11/2025 (phiên bản 1.0)." in out
    assert "Số bản ghi: 3.450 (báo cáo kết quả 2.400, đơn vị 1.050)." in out
    assert "Tệp đính kèm: 1.200." in out


def test_restore_prints_the_time_of_a_real_archive(dataset, tmp_path):
    archive = backup_module.backup(tmp_path / "b.zip").path
    out = run("restore", str(archive), "--force", "--noinput")
    assert re.search(r"sao lưu lúc \d{2}:\d{2} \d{2}/\d{2}/\d{4} \(phiên bản ", out), out


@pytest.mark.skipif(connection.vendor == "sqlite" and connection.is_in_memory_db(),
                    reason="an in-memory SQLite database has no WAL snapshots (config.settings.test uses a file)")
@pytest.mark.django_db(transaction=True)
def test_saves_go_on_during_a_backup_which_keeps_the_moment_it_began(cast, tmp_path,
                                                                       monkeypatch):
    import threading

    real_dump = backup_module.dump_data
    outcome = {}

    def dump_while_someone_saves(using):
        Group.objects.using(using).count()  # the dump has begun reading: its view is set

        def save():
            from django.db import connection as thread_connection

            try:
                Unit.objects.filter(code="AAA").update(name="Đã đổi trong lúc sao lưu")
                outcome["saved"] = True
            except Exception as exc:  # noqa: BLE001 - the test reports whatever stopped it
                outcome["error"] = exc
            finally:
                thread_connection.close()

        thread = threading.Thread(target=save)
        thread.start()
        thread.join(timeout=30)
        return real_dump(using)

    monkeypatch.setattr(backup_module, "dump_data", dump_while_someone_saves)
    result = backup_module.backup(tmp_path / "sao-luu.zip")
    assert outcome == {"saved": True}  # not "database is locked", not waiting for the dump
    with zipfile.ZipFile(result.path) as archive:
        rows = json.loads(archive.read("data.json"))
    names = [r["fields"]["name"] for r in rows if r["model"] == "units.unit" and r["fields"]["code"] == "AAA"]
    assert names == ["BHXH cơ sở A"]  # the archive is the database as the dump began reading


@pytest.mark.django_db(transaction=True)
def test_a_backup_that_fails_leaves_no_transaction_open_and_says_why(cast, tmp_path, monkeypatch):
    def broken_dump(using):
        Group.objects.using(using).count()
        raise RuntimeError("đĩa đầy")

    monkeypatch.setattr(backup_module, "dump_data", broken_dump)
    with pytest.raises(RuntimeError, match="đĩa đầy"):
        backup_module.backup(tmp_path / "sao-luu.zip")
    Unit.objects.filter(code="AAA").update(name="Vẫn ghi được")  # autocommit, nothing left open
    assert Unit.objects.get(code="AAA").name == "Vẫn ghi được"
    assert not (tmp_path / "sao-luu.zip").exists()
