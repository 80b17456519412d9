"""When a request fails, the reader gets our page with a way back, not Django's."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_stale_csrf_token_gets_a_page_that_says_the_text_is_kept():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert b"Your session changed before that was sent" in response.content
    assert b"your text is still there" in response.content


def test_an_oversized_request_gets_a_clear_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 400
    assert b"could not be read" in response.content


def test_the_server_error_page_stands_alone():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert "{%" not in html
