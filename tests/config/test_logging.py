"""What the log says about answers the app gives on purpose (config/logging.py)."""

import logging

from django.urls import reverse


def test_a_refused_page_is_logged_in_one_line_without_a_traceback(client, cast, caplog):
    client.force_login(cast.staff_a)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("excel:index"))
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().startswith("Forbidden") and record.exc_info is None


def test_a_server_error_keeps_its_traceback():
    from config.logging import NoTracebackForExpectedAnswers

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error",
                                   None, sys.exc_info())
    record.status_code = 500
    assert NoTracebackForExpectedAnswers().filter(record) and record.exc_info is not None
