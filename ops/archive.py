"""The backup archive's format, shared by `ops.backup` (writing one) and `ops.restore`
(checking and loading one).

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
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.migrations.recorder import MigrationRecorder

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


def label_name(label: str) -> str:
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


def sha256_file(handle) -> tuple[str, int]:
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


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


# --- reading and checking an archive -------------------------------------------------------------

@dataclass
class Archive:
    path: Path
    manifest: dict
    data: bytes
    media: list[str] = field(default_factory=list)  # archive names under media/


def safe_media_name(name: str) -> str | None:
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
        bad_names = [n for n in listed if n != DATA_NAME and safe_media_name(n) is None]
        if bad_names:
            problems.append("tên tệp không an toàn: " + ", ".join(sorted(bad_names)))
        for name in sorted(set(listed) & present):
            expected = listed[name] if isinstance(listed[name], dict) else {}
            with archive.open(name) as handle:
                try:
                    digest, size = sha256_file(handle)
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


def describe(counts: dict[str, int]) -> str:
    """{'campaign.report': 2400} → 'báo cáo kết quả 2.400' for messages (zero counts left out)."""
    return ", ".join(
        f"{label_name(label)} {format_number(count)}" for label, count in counts.items() if count
    )
