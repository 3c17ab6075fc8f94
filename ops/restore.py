"""Restore a backup archive (`manage.py restore FILE.zip`): every part checked against the
manifest before anything is touched, then, in one transaction, the rows loaded and counted,
the PostgreSQL sequences reset and the files written; any failure leaves the database as it
was."""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from .archive import (
    CHUNK,
    Archive,
    BackupError,
    applied_migrations,
    backup_models,
    label_name,
    media_root,
    model_label,
    read_archive,
    safe_media_name,
)

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
        listing = ", ".join(f"{label_name(label)}: {count}" for label, count in found.items())
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
    root = media_root()
    with zipfile.ZipFile(archive.path) as zipped:
        for name in archive.media:
            relative = safe_media_name(name)
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
