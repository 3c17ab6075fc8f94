# Written by hand: the snapshots' inputs and document move from JSON text to zstd-compressed
# bytes (scoring.fields.PackedJSONField). New columns are added, every snapshot is copied
# into them, the old columns are dropped and the new ones take their names; backwards, the
# same in reverse. The old columns become nullable first, so that a reverse migration can
# add them back before copying the documents into them.

from django.db import DatabaseError, migrations, transaction

import scoring.fields

PACKED = {"inputs": "packed_inputs", "document": "packed_document"}
VERBOSE_NAMES = {"inputs": "số liệu đầu vào", "document": "kết quả xếp hạng"}


def _copy(apps, source: dict[str, str]) -> None:
    """Every snapshot's documents from one pair of columns to the other, one row at a time
    (a national snapshot is some 3 MB)."""
    Snapshot = apps.get_model("scoring", "Snapshot")
    for pk in Snapshot.objects.order_by("pk").values_list("pk", flat=True):
        row = Snapshot.objects.only(*source).get(pk=pk)
        Snapshot.objects.filter(pk=pk).update(**{target: getattr(row, name) for name, target in source.items()})


def pack(apps, schema_editor):
    _copy(apps, PACKED)


def unpack(apps, schema_editor):
    _copy(apps, {packed: name for name, packed in PACKED.items()})


def json_compressed_with_lz4(apps, schema_editor):
    """Backwards: the JSON columns added back get 0003's lz4 TOAST compression again, where
    the server has it."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in PACKED:
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute(
                    f'ALTER TABLE "scoring_snapshot" ALTER COLUMN "{column}" SET COMPRESSION lz4'
                )
        except DatabaseError:
            return


def store_uncompressed(apps, schema_editor):
    """zstd has compressed the bytes already: PostgreSQL need not try again (STORAGE
    EXTERNAL: out of line, never compressed)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in PACKED:
        schema_editor.execute(
            f'ALTER TABLE "scoring_snapshot" ALTER COLUMN "{column}" SET STORAGE EXTERNAL'
        )


class Migration(migrations.Migration):

    dependencies = [
        ("scoring", "0003_snapshot_json_text"),
    ]

    operations = [
        *(migrations.AddField(
            model_name="snapshot", name=packed,
            field=scoring.fields.PackedJSONField(null=True, verbose_name=VERBOSE_NAMES[name]),
        ) for name, packed in PACKED.items()),
        *(migrations.AlterField(
            model_name="snapshot", name=name,
            field=scoring.fields.DocumentJSONField(null=True, verbose_name=VERBOSE_NAMES[name]),
        ) for name in PACKED),
        migrations.RunPython(pack, unpack),
        migrations.RunPython(migrations.RunPython.noop, json_compressed_with_lz4),
        *(migrations.RemoveField(model_name="snapshot", name=name) for name in PACKED),
        *(migrations.RenameField(model_name="snapshot", old_name=packed, new_name=name)
          for name, packed in PACKED.items()),
        *(migrations.AlterField(
            model_name="snapshot", name=name,
            field=scoring.fields.PackedJSONField(verbose_name=VERBOSE_NAMES[name]),
        ) for name in PACKED),
        migrations.RunPython(store_uncompressed, migrations.RunPython.noop),
    ]
