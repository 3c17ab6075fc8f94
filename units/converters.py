"""URL converters shared by the apps' URLconfs."""

from django.urls import register_converter


class CodeConverter:
    """A code (unit, campaign) in a URL: any text but a slash or a control character.

    A NUL byte reaching a query makes PostgreSQL refuse it (psycopg's DataError, a 500); a
    code never holds one, so such a URL simply does not match (404), like any unknown code.
    """

    regex = r"[^/\x00-\x1f\x7f]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered once, on the first import of this module by a URLconf.
register_converter(CodeConverter, "code")
