"""Write a backup archive (`manage.py backup -o FILE.zip`): every row of the project and the
logins, the kept files, a manifest; its format is told in `ops.archive`. It runs while the
system is in use, reading everything in one repeatable snapshot."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import Group
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from .archive import (
    CHUNK,
    DATA_NAME,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEDIA_PREFIX,
    ExactJSONEncoder,
    app_version,
    applied_migrations,
    backup_models,
    media_root,
    model_label,
    sha256_file,
)

# --- backup ------------------------------------------------------------------------------------

def media_files() -> list[tuple[str, Path]]:
    """(archive name, path) of every file under MEDIA_ROOT, sorted; symlinks are not followed."""
    root = media_root()
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
        digest, size = sha256_file(reader)
    return BackupResult(path=path, sha256=digest, size=size, counts=counts,
                        media_count=len(files))


def _django_version() -> str:
    import django

    return django.get_version()
