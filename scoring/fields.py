"""A JSON column for documents written once and read whole: the roll-up's snapshots.

A snapshot at national scale (2,400 units) is about 4 MB of JSON, and storing it was a third
of the roll-up's time (issue 8). Nothing ever searches inside a snapshot, so:
- on PostgreSQL the column is `json`, kept as the text it was given, rather than `jsonb`,
  whose conversion to its binary form cost some 70 ms per snapshot; its TOAST compression
  is set to lz4 where the server has it (migration 0003), cheaper than the default pglz;
- the text is written and read with orjson, several times faster than the standard
  library's json on documents this size.
Values are plain JSON (str, int, bool, None, lists, dicts with string keys); orjson refuses
anything else, so a mistake fails loudly rather than being stored in some other shape.
"""

import orjson
from django.db import models


class DocumentJSONField(models.JSONField):
    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or hasattr(value, "as_sql"):
            return super().get_db_prep_value(value, connection, prepared)
        if connection.vendor == "postgresql":
            from psycopg.types.json import Json

            # orjson's bytes go to the server as they are: no 4 MB str to decode and re-encode.
            return Json(value, dumps=orjson.dumps)
        return orjson.dumps(value).decode()

    def select_format(self, compiler, sql, params):
        # psycopg parses `json` columns itself with the standard library; as text they reach
        # from_db_value and orjson.
        if compiler.connection.vendor == "postgresql":
            return f"({sql})::text", params
        return super().select_format(compiler, sql, params)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        if isinstance(value, (str, bytes, bytearray, memoryview)):
            return orjson.loads(value)
        return value  # already decoded (a key transform on SQLite)
