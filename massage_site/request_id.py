"""A request id on every response (X-Request-ID) and on every log line written while answering it.

A reader reporting "the page broke" can quote the header, and the operator finds the
traceback with that id in the log. A proxy in front that already gave the request an
id (nginx's $request_id, a load balancer's trace id) has it kept, if it looks like one:
up to 64 letters, digits and dashes; anything else is replaced, so a client cannot
write arbitrary text into the log. The middleware comes first, before the page cache,
so a cached page gets a fresh id too, and no id is ever stored with a cached page. Hits
answered before Django (massage_site/page_cache.py, ``PageCacheApplication``) get theirs
from ``assign`` too, and a request that layer hands on to Django keeps the id it was given.
"""

import contextlib
import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
INCOMING = "HTTP_X_REQUEST_ID"
ACCEPTED = re.compile(r"[A-Za-z0-9-]{1,64}")
NO_REQUEST = "-"
# Where the id is kept in the WSGI environ once given, so that it is given once per request.
ASSIGNED = "massage_site.request_id"

_current = contextvars.ContextVar("request_id", default=NO_REQUEST)


def assign(environ):
    """The request's id: the one it was already given, the proxy's if it looks like one, or a new one."""
    request_id = environ.get(ASSIGNED)
    if request_id is None:
        incoming = environ.get(INCOMING, "")
        request_id = environ[ASSIGNED] = incoming if ACCEPTED.fullmatch(incoming) else uuid.uuid4().hex
    return request_id


@contextlib.contextmanager
def answering(request_id):
    """Log lines written inside name ``request_id``."""
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)


def current_request_id():
    """The id of the request being answered in this thread, or "-" outside one."""
    return _current.get()


class RequestIdMiddleware:
    """Give each request an id (the proxy's, or a new one), for its log lines and its response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = assign(request.META)
        with answering(request.request_id):
            response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record, for the log format (settings.LOGGING)."""

    def filter(self, record):
        record.request_id = _current.get()
        return True
