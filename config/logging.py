"""Logging filters of our own."""

import logging


class NoTracebackForExpectedAnswers(logging.Filter):
    """A 403 or 404 is the app answering as designed (another unit's report, a wrong role): the
    line stays, its traceback goes. Server errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404):
            record.exc_info = None
            record.exc_text = None
        return True
