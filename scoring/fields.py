"""JSON columns for documents written once and read whole: the roll-up's snapshots.

A snapshot at national scale (2,400 units) is about 2.7 MB of JSON (inputs and standings).
Nothing ever searches inside one, so each is stored as its orjson text compressed with zstd
(`PackedJSONField`): about a tenth of the size, which PostgreSQL stores without splitting it
into a thousand TOAST chunks. Pages that read a snapshot gain the same way back
(docs/performance.md has the figures).

Values are plain JSON (str, int, bool, None, lists, dicts with string keys); orjson refuses
anything else, so a mistake fails loudly rather than being stored in some other shape. In
Python, and in backups (Django's serializers), the value is the decoded document, as with
any JSONField; only the column holds bytes. Key lookups inside it (document__standings) are
refused: the database cannot read the compressed bytes.
"""

import orjson
import zstandard
from django.db import models

# Level 1: zstd's fastest; level 3 (its default) is no smaller on these documents and
# a third slower.
ZSTD_LEVEL = 1


def pack(value) -> bytes:
    return zstandard.compress(orjson.dumps(value), ZSTD_LEVEL)


def unpack(data: bytes) -> object:
    return orjson.loads(zstandard.decompress(data))


class PackedJSONField(models.JSONField):
    """A JSON document stored as zstd-compressed orjson bytes (bytea, or a SQLite BLOB)."""

    def db_type(self, connection):
        return "bytea" if connection.vendor == "postgresql" else "blob"

    def db_check(self, connection):
        return None  # SQLite's JSON_VALID check cannot read compressed bytes

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or hasattr(value, "as_sql"):
            return super().get_db_prep_value(value, connection, prepared)
        return pack(value)

    def select_format(self, compiler, sql, params):
        # The bytes as they are: JSONField's own format would ask the database for JSON.
        return sql, params

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return unpack(bytes(value))  # psycopg gives bytes, SQLite bytes, some drivers memoryview

    def get_transform(self, name):
        return None  # no key lookups into compressed bytes


class DocumentJSONField(models.JSONField):
    """The snapshots' storage before migration 0004 (`json` kept as text on PostgreSQL,
    written and read with orjson). Kept because migrations 0003 and 0004 name it; no model
    uses it."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or hasattr(value, "as_sql"):
            return super().get_db_prep_value(value, connection, prepared)
        if connection.vendor == "postgresql":
            from psycopg.types.json import Json

            return Json(value, dumps=orjson.dumps)
        return orjson.dumps(value).decode()

    def select_format(self, compiler, sql, params):
        if compiler.connection.vendor == "postgresql":
            return f"({sql})::text", params
        return super().select_format(compiler, sql, params)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        if isinstance(value, (str, bytes, bytearray, memoryview)):
            return orjson.loads(value)
        return value
