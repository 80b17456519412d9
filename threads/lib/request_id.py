"""A request id in every log line of its request, and in the response's X-Request-ID.

nginx or a load balancer may already have given the request an id (``X-Request-ID``); it is
kept when it looks like one (letters, digits, ``.``, ``_``, ``-``, at most 128), so one id
follows the request through every layer. Anything else is replaced by a fresh id: a header
is client input, and a newline or a megabyte in it must not reach the logs.
"""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
NO_REQUEST = "-"

_current = contextvars.ContextVar("request_id", default=NO_REQUEST)


def incoming_or_new(value):
    """The incoming id if it is safe to log, else a new random one."""
    if value and SAFE_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = incoming_or_new(request.headers.get(HEADER))
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record: the record's own request when it carries one
    (django.request logs a response after the middleware has returned), else the request
    this thread is serving, else "-"."""

    def filter(self, record):
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _current.get()
        return True


class OneLineFormatter(logging.Formatter):
    """One event, one line: newlines in the message or a traceback are escaped, so a log
    collector never splits an event or takes user text for a new line."""

    def format(self, record):
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")
