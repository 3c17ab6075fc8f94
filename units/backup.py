"""Export everything the office would miss, and restore it: one zip file, checked end to end.

The archive (`manage.py backup -o FILE.zip`) holds three kinds of part:

- `data.json`: every row of the project's own apps (units, campaign, scoring, awards,
  dashboard, including their audit-history tables) and the logins (auth users with their
  group memberships and permissions, and the groups). Not kept: content types and
  permissions (recreated by `migrate`), sessions, the admin log, login-throttling records.
- `media/...`: every file under MEDIA_ROOT (the spreadsheets kept for audit).
- `manifest.json`: the app version, the time, the database's applied migrations, the row
  count of each model, and the SHA-256 and size of every other part.

Restoring (`manage.py restore FILE.zip`) checks every part against the manifest before it
touches anything, refuses a database that already holds data (unless `--force`, which
empties it first), loads the rows, checks the counts, resets the PostgreSQL sequences and
writes the files, all in one transaction: any failure leaves the database as it was.

Primary keys are kept as they are, so every reference between rows survives unchanged. Only
groups travel by name (natural keys): `migrate` creates the role groups in a fresh database,
and a restored group must update that row, not collide with it. Group memberships and
permissions travel by natural key for the same reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import zipfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from rules.formatting import format_number

FORMAT = "thidua-backup"
FORMAT_VERSION = 1
PROJECT_APPS = ("units", "campaign", "scoring", "awards", "dashboard")
# Apps whose schema the rows depend on: the archive records their applied migrations.
SCHEMA_APPS = ("auth", "contenttypes", *PROJECT_APPS)
MANIFEST_NAME = "manifest.json"
DATA_NAME = "data.json"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Vietnamese."""


# --- what is backed up -------------------------------------------------------------------------

def backup_models() -> list[type[models.Model]]:
    """Groups first and users next (rows refer to them by natural key), then every concrete
    model of the project's apps, whatever exists now (new models are included without a
    change here)."""
    found: list[type[models.Model]] = [Group, User]
    for label in PROJECT_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        found += [
            m for m in config.get_models()
            if m._meta.managed and not m._meta.proxy and not m._meta.swapped
        ]
    return found


def model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _label_name(label: str) -> str:
    """'units.unit' → 'đơn vị' for messages; the label itself when the model is unknown."""
    try:
        return str(apps.get_model(label)._meta.verbose_name_plural)
    except (LookupError, ValueError):
        return label


# --- encoding ----------------------------------------------------------------------------------

class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder drops microseconds below the millisecond (for ECMA-262); a backup
    must give back exactly what it took, so times keep all six digits."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _sha256_file(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("thidua")
    except PackageNotFoundError:  # pragma: no cover - running from a copy without install
        return "unknown"


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connections[using])
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(recorder.applied_migrations()):
        if app_label in SCHEMA_APPS:
            applied.setdefault(app_label, []).append(name)
    return applied


# --- backup ------------------------------------------------------------------------------------

def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def media_files() -> list[tuple[str, Path]]:
    """(archive name, path) of every file under MEDIA_ROOT, sorted; symlinks are not followed."""
    root = _media_root()
    if not root.is_dir():
        return []
    found = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(directory) / filename
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            found.append((MEDIA_PREFIX + relative, path))
    return found


def dump_data(using: str = DEFAULT_DB_ALIAS) -> tuple[bytes, dict[str, int]]:
    """Every row to back up, as Django's JSON fixture format, and the count per model."""
    objects: list[dict] = []
    counts: dict[str, int] = {}
    for model in backup_models():
        queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
        rows = serializers.serialize(
            "python", queryset, use_natural_foreign_keys=True,
            use_natural_primary_keys=model is Group,
        )
        objects += rows
        counts[model_label(model)] = len(rows)
    data = json.dumps(objects, cls=ExactJSONEncoder, ensure_ascii=False, indent=1)
    return data.encode("utf-8"), counts


@dataclass
class BackupResult:
    path: Path
    sha256: str
    size: int
    counts: dict[str, int]
    media_count: int


@contextmanager
def read_snapshot(using: str = DEFAULT_DB_ALIAS):
    """One consistent view of the database, every table as of the same instant, while the
    site keeps taking saves. PostgreSQL: a REPEATABLE READ transaction (its default, READ
    COMMITTED, would let rows committed during the dump in between two tables). SQLite: a
    deferred transaction, which WAL gives a snapshot without blocking writers; Django's own
    atomic() would begin IMMEDIATE there (config/settings) and hold every save for the whole
    dump. Inside a caller's transaction, that transaction is the snapshot."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        # Django still believes it is in autocommit meanwhile: nothing inside may use atomic().
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        except BaseException:
            # SQLite may have ended the transaction itself (an I/O error, an interrupt): roll
            # back only what is still open, so the real error is the one raised.
            if connection.connection is not None and connection.connection.in_transaction:
                with connection.cursor() as cursor:
                    cursor.execute("ROLLBACK")
            raise
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def backup(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write the archive to `path` (through a temporary file, so a failed run leaves no
    half-written archive under that name)."""
    path = Path(path)
    connection = connections[using]
    with read_snapshot(using):
        data, counts = dump_data(using)
        migrations = applied_migrations(using)
        # The file list is read inside the same transaction: a spreadsheet uploaded during
        # the backup is either missing from both the rows and the files, or (when written
        # before its row commits) present as a harmless extra file.
        files = media_files()

    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app": "thidua",
        "version": app_version(),
        "django": _django_version(),
        "created_at": timezone.localtime().isoformat(),
        "database": connection.vendor,
        "migrations": migrations,
        "models": counts,
        "files": {DATA_NAME: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".backup-", suffix=".zip.part", dir=path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(DATA_NAME, data)
            for name, source in files:
                with source.open("rb") as reader, archive.open(name, "w") as writer:
                    digest, size = hashlib.sha256(), 0
                    while chunk := reader.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        writer.write(chunk)
                manifest["files"][name] = {"sha256": digest.hexdigest(), "size": size}
            # Written last, with the checksums of everything above it.
            archive.writestr(
                MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    with path.open("rb") as reader:
        digest, size = _sha256_file(reader)
    return BackupResult(path=path, sha256=digest, size=size, counts=counts,
                        media_count=len(files))


def _django_version() -> str:
    import django

    return django.get_version()


# --- reading and checking an archive -------------------------------------------------------------

@dataclass
class Archive:
    path: Path
    manifest: dict
    data: bytes
    media: list[str] = field(default_factory=list)  # archive names under media/


def _safe_media_name(name: str) -> str | None:
    """The path below MEDIA_ROOT for an archive name, or None if it could escape it."""
    if not name.startswith(MEDIA_PREFIX) or "\\" in name or "\x00" in name:
        return None
    relative = PurePosixPath(name[len(MEDIA_PREFIX):])
    if relative.is_absolute() or not relative.parts or any(p in ("", ".", "..") for p in relative.parts):
        return None
    return relative.as_posix()


def read_archive(path: str | os.PathLike) -> Archive:
    """Open the archive and check every part against the manifest; refuse anything odd."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu «{path}».")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"Tệp «{path.name}» không phải là tệp sao lưu (.zip) hợp lệ.") from exc
    with archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        if MANIFEST_NAME not in names:
            raise BackupError(f"Tệp «{path.name}» không có {MANIFEST_NAME}: không phải bản sao lưu của hệ thống.")
        try:
            manifest = json.loads(archive.read(MANIFEST_NAME).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise BackupError(f"{MANIFEST_NAME} bị hỏng, không đọc được.") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"Tệp «{path.name}» không phải là bản sao lưu của hệ thống thi đua.")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"Bản sao lưu có định dạng phiên bản {manifest.get('format_version')}; "
                f"phiên bản này chỉ đọc được định dạng {FORMAT_VERSION}."
            )
        listed = manifest.get("files")
        if not isinstance(listed, dict) or DATA_NAME not in listed or not isinstance(manifest.get("models"), dict):
            raise BackupError(f"{MANIFEST_NAME} thiếu danh sách tệp hoặc số bản ghi.")

        duplicates = [n for n, c in Counter(names).items() if c > 1]
        present = set(names) - {MANIFEST_NAME}
        problems = []
        if duplicates:
            problems.append("trùng tên: " + ", ".join(sorted(duplicates)))
        if missing := sorted(set(listed) - present):
            problems.append("thiếu: " + ", ".join(missing))
        if extra := sorted(present - set(listed)):
            problems.append("không có trong danh sách: " + ", ".join(extra))
        bad_names = [n for n in listed if n != DATA_NAME and _safe_media_name(n) is None]
        if bad_names:
            problems.append("tên tệp không an toàn: " + ", ".join(sorted(bad_names)))
        for name in sorted(set(listed) & present):
            expected = listed[name] if isinstance(listed[name], dict) else {}
            with archive.open(name) as handle:
                try:
                    digest, size = _sha256_file(handle)
                except (zipfile.BadZipFile, OSError, EOFError):
                    problems.append(f"{name} hỏng (không giải nén được)")
                    continue
            if digest != expected.get("sha256") or size != expected.get("size"):
                problems.append(f"{name} sai mã kiểm tra SHA-256")
        if problems:
            raise BackupError(
                f"Tệp sao lưu «{path.name}» bị hỏng hoặc đã bị sửa; không khôi phục. "
                + "; ".join(problems) + "."
            )
        data = archive.read(DATA_NAME)
    return Archive(path=path, manifest=manifest, data=data,
                   media=sorted(n for n in listed if n != DATA_NAME))


# --- restore -------------------------------------------------------------------------------------

def _check_schema(manifest: dict, using: str) -> None:
    """The archive's rows fit this database only if every migration the source had applied
    is applied here too (a newer program may have more; it never has fewer)."""
    here = {(app, name) for app, names in applied_migrations(using).items() for name in names}
    source = manifest.get("migrations") or {}
    missing = sorted(
        f"{app}.{name}" for app, names in source.items() for name in names
        if (app, name) not in here
    )
    if missing:
        raise BackupError(
            "Bản sao lưu được tạo từ phiên bản chương trình mới hơn cơ sở dữ liệu này "
            f"(thiếu migration: {', '.join(missing)}). Hãy cập nhật chương trình và chạy "
            "«manage.py migrate» trước khi khôi phục."
        )


def existing_data(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows that a freshly migrated database does not have. Groups do not count: `migrate`
    creates the role groups, and the archive updates them by name."""
    found = {}
    for model in backup_models():
        if model is Group:
            continue
        count = model._base_manager.using(using).count()
        if count:
            found[model_label(model)] = count
    return found


def _refuse_if_not_empty(using: str) -> None:
    found = existing_data(using)
    if found:
        listing = ", ".join(f"{_label_name(label)}: {count}" for label, count in found.items())
        raise BackupError(
            "Cơ sở dữ liệu đang có dữ liệu (" + listing + "). Chỉ khôi phục vào cơ sở dữ liệu "
            "mới tạo (đã chạy «manage.py migrate», chưa nhập gì). Nếu chắc chắn muốn XÓA TOÀN "
            "BỘ dữ liệu hiện có rồi khôi phục, chạy lại với --force."
        )


def _load(archive: Archive, using: str) -> Counter:
    """Save every row as loaddata does (raw saves: no signals' side effects, no audit rows,
    auto_now fields kept), with foreign-key checks deferred to the end."""
    connection = connections[using]
    loaded: Counter = Counter()
    loaded_models: set[type[models.Model]] = set()
    deferred = []
    allowed = {model_label(m) for m in backup_models()}
    try:
        with connection.constraint_checks_disabled():
            for obj in serializers.deserialize(
                "json", archive.data.decode("utf-8"), using=using, handle_forward_references=True,
            ):
                model = type(obj.object)
                if model_label(model) not in allowed:
                    raise BackupError(
                        f"Bản sao lưu chứa dữ liệu không thuộc phạm vi sao lưu ({model_label(model)})."
                    )
                obj.save(using=using)
                loaded[model_label(model)] += 1
                loaded_models.add(model)
                if obj.deferred_fields:
                    deferred.append(obj)
            for obj in deferred:
                obj.save_deferred_fields(using=using)
        connection.check_constraints(table_names=[m._meta.db_table for m in loaded_models])
    except BackupError:
        raise
    except Exception as exc:  # DeserializationError, IntegrityError, ...: all mean "cannot load"
        raise BackupError(f"Không nạp được dữ liệu từ bản sao lưu: {exc}") from exc

    # Rows came with their ids: PostgreSQL's sequences must move past them, or the next
    # report saved would collide with a restored one. (SQLite needs nothing.)
    statements = connection.ops.sequence_reset_sql(no_style(), list(loaded_models | {Group}))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    return loaded


def _check_counts(archive: Archive, loaded: Counter, using: str) -> None:
    expected = {label: int(count) for label, count in archive.manifest["models"].items()}
    wrong = []
    for label, count in expected.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            if count:
                wrong.append(f"{label}: mô hình không còn trong chương trình")
            continue
        if loaded[label] != count:
            wrong.append(f"{label}: tệp ghi {count}, nạp được {loaded[label]}")
        # Groups may exist beyond the archive's (created by migrate); everything else must
        # be exactly what was saved.
        if model is not Group and model._base_manager.using(using).count() != count:
            wrong.append(f"{label}: sau khi nạp có {model._base_manager.using(using).count()}, cần {count}")
    if unknown := sorted(set(loaded) - set(expected)):
        wrong.append("dữ liệu ngoài danh sách: " + ", ".join(unknown))
    if wrong:
        raise BackupError("Số bản ghi sau khi khôi phục không khớp bản kê; đã hủy. " + "; ".join(wrong) + ".")


def _write_media(archive: Archive) -> None:
    root = _media_root()
    with zipfile.ZipFile(archive.path) as zipped:
        for name in archive.media:
            relative = _safe_media_name(name)
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".restore-", dir=target.parent)
            try:
                with os.fdopen(handle, "wb") as writer, zipped.open(name) as reader:
                    digest = hashlib.sha256()
                    while chunk := reader.read(CHUNK):
                        digest.update(chunk)
                        writer.write(chunk)
                if digest.hexdigest() != archive.manifest["files"][name]["sha256"]:
                    raise BackupError(f"{name} thay đổi trong lúc khôi phục; đã hủy.")
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise


@dataclass
class RestoreResult:
    manifest: dict
    counts: dict[str, int]
    media_count: int
    flushed: bool


def restore(path: str | os.PathLike, *, force: bool = False,
            using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Restore the archive into this database, all or nothing."""
    archive = read_archive(path)
    _check_schema(archive.manifest, using)
    with transaction.atomic(using=using):
        if force:
            # Empties every table (then migrate's signal recreates content types and
            # permissions); inside this transaction, so a failed restore undoes it too.
            # PostgreSQL refuses to TRUNCATE a table with deferred foreign-key checks still
            # pending in the transaction (when called inside an outer one): run them first.
            connections[using].check_constraints()
            call_command("flush", interactive=False, verbosity=0, database=using)
        else:
            _refuse_if_not_empty(using)
        loaded = _load(archive, using)
        _check_counts(archive, loaded, using)
        # Last: files are written only when every row is in. A failure here still rolls the
        # rows back; the files already written are the archive's own and harmless.
        _write_media(archive)
    return RestoreResult(manifest=archive.manifest, counts=dict(loaded),
                         media_count=len(archive.media), flushed=force)


def describe(counts: dict[str, int]) -> str:
    """{'campaign.report': 2400} → 'báo cáo kết quả 2.400' for messages (zero counts left out)."""
    return ", ".join(
        f"{_label_name(label)} {format_number(count)}" for label, count in counts.items() if count
    )


__all__ = [
    "Archive", "BackupError", "BackupResult", "RestoreResult", "backup", "backup_models",
    "describe", "existing_data", "read_archive", "restore",
]
