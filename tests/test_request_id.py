"""Every response carries an X-Request-ID, and every log line of its request names it."""

import logging

import pytest
from django.conf import settings

from threads.lib.request_id import OneLineFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """What the site's console handler would print, captured with its filter and format."""
    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(OneLineFormatter(settings.LOGGING["formatters"]["one_line"]["format"]))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lines
    root.removeHandler(handler)


def test_a_response_gets_a_fresh_request_id(client):
    first = client.get("/")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_safe_incoming_request_id_is_kept(client):
    response = client.get("/", headers={"X-Request-ID": "nginx-7f3a9c1e.42"})
    assert response["X-Request-ID"] == "nginx-7f3a9c1e.42"


@pytest.mark.parametrize(
    "incoming",
    ["short", "x" * 129, "abc def ghi", "line\nbreak-injected", "'; DROP TABLE--", "ïd-ünicode-1"],
)
def test_an_unsafe_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/", headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_every_log_line_of_a_request_names_its_id(client, log_lines):
    response = client.get("/no-such-page/", headers={"X-Request-ID": "trace-000111222"})
    assert response.status_code == 404
    assert log_lines, "Django logs a 404 as a warning"
    assert all("request_id=trace-000111222" in line for line in log_lines)


def test_a_log_line_outside_a_request_says_so(log_lines):
    logging.getLogger("threads.test").warning("between requests")
    assert log_lines == [line for line in log_lines if "request_id=- " in line]
    assert len(log_lines) == 1


def test_a_multi_line_event_is_logged_on_one_line(log_lines):
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        logging.getLogger("threads.test").exception("it broke")
    assert len(log_lines) == 1
    assert "\n" not in log_lines[0]
    assert "second line" in log_lines[0] and "Traceback" in log_lines[0]
