"""Errors reach the log with their traceback and the request id the reader was shown."""

import io
import logging

import pytest
from django.test import Client

from massage_site.request_id import RequestIdFilter


@pytest.fixture
def stderr_log():
    """What the configured stderr handler (settings.LOGGING) writes, as text."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(log_filter, RequestIdFilter) for log_filter in handler.filters)
    )
    written = io.StringIO()
    previous = handler.setStream(written)
    yield written
    handler.setStream(previous)


@pytest.fixture
def broken_search(monkeypatch):
    def fail(query, **options):
        raise RuntimeError("the search broke")

    monkeypatch.setattr("massage_site.views.run_search", fail)


def test_a_server_error_is_logged_with_its_traceback_and_the_request_id_of_the_response(db, broken_search, stderr_log):
    response = Client(raise_request_exception=False).get("/search/?q=kneading")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    log = stderr_log.getvalue()
    assert f"ERROR django.request [request {request_id}] Internal Server Error: /search/" in log
    assert "Traceback (most recent call last):" in log and "RuntimeError: the search broke" in log


def test_a_request_id_from_the_proxy_is_kept_in_the_response_and_the_log(db, broken_search, stderr_log):
    response = Client(raise_request_exception=False).get("/search/?q=x", HTTP_X_REQUEST_ID="lb-7f3a-0001")
    assert response["X-Request-ID"] == "lb-7f3a-0001"
    assert "[request lb-7f3a-0001] Internal Server Error" in stderr_log.getvalue()


@pytest.mark.parametrize("incoming", ["", "a" * 65, "two words", "id\nforged log line", "id;drop", "ünïcode"])
def test_an_unlikely_request_id_is_replaced_by_a_new_one(client, db, incoming):
    response = client.get("/robots.txt", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_every_response_has_its_own_request_id(client, db):
    ids = {client.get("/robots.txt")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_a_not_found_page_is_not_a_warning(client, db, stderr_log):
    assert client.get("/no-such-page/").status_code == 404
    assert stderr_log.getvalue() == ""


def test_lines_outside_a_request_say_so(stderr_log):
    logging.getLogger("massage_site").warning("Started without a request")
    assert "WARNING massage_site [request -] Started without a request" in stderr_log.getvalue()
