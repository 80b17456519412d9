"""Every page is sent with a strict Content-Security-Policy and the other security headers,
and no served template or generated markup needs inline script or style to work."""

import re
from pathlib import Path

import pytest

from tests.factories import make_post

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

REQUIRED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def policy(response):
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.fixture
def pages(cast, moderator):
    make_post(cast.scene, character=cast.aleksei, body="The lantern swung.")
    return {
        "home": ("/", None),
        "story list": ("/stories/", None),
        "story": (cast.story.get_absolute_url(), None),
        "chapter": (cast.chapter.get_absolute_url(), None),
        "scene, as a writer": (cast.scene.get_absolute_url(), cast.mira),
        "admin index": ("/admin/", moderator),
        "admin login": ("/admin/login/", None),
        "not found": ("/no-such-page/", None),
        "health": ("/healthz", None),
    }


def test_every_page_has_the_strict_policy_and_security_headers(client, pages):
    for name, (url, user) in pages.items():
        if user:
            client.force_login(user)
        response = client.get(url)
        client.logout()
        directives = policy(response)
        for directive, sources in REQUIRED.items():
            assert directives.get(directive) == sources, f"{name}: {directive}"
        assert "unsafe" not in response["Content-Security-Policy"], name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name


def test_an_html_export_is_a_download_not_a_page(client, cast):
    """The HTML export carries its own style sheet inline, for reading offline: it must be
    saved, not shown under the site's policy (which would strip its styles)."""
    make_post(cast.scene, character=cast.aleksei, body="The lantern swung.")
    response = client.get(f"/stories/{cast.story.slug}/download.html")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_hsts_and_the_ssl_redirect_follow_the_settings(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/stories/")["Location"] == "https://testserver/stories/"
    behind_proxy = client.get("/stories/", HTTP_X_FORWARDED_PROTO="https")
    assert behind_proxy.status_code == 200
    assert behind_proxy["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert client.get("/healthz").status_code == 200  # probes over plain HTTP still answer


# Inline code the policy would block: a style attribute or element, a script without src,
# an event handler attribute, a javascript: address.
INLINE = re.compile(
    r"""\sstyle\s*=|<style[\s>]|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=\s*["']|javascript:""",
    re.IGNORECASE,
)
# E-mails are not served under the policy; exports are files read offline.
NOT_SERVED = ("emails/", "threads/export/")


def served_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if not name.startswith(NOT_SERVED):
            yield name, path.read_text(encoding="utf-8")


def test_no_served_template_has_inline_script_or_style():
    problems = [
        f"{name}: {match.group(0)!r}"
        for name, text in served_templates()
        for match in INLINE.finditer(text)
    ]
    assert problems == []


# In Python, only markup inside strings: an attribute with its quote, or an element.
INLINE_IN_PYTHON = re.compile(
    r"""\sstyle=["'{]|<style[\s>]|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=["'{]"""
)


def test_no_markup_built_in_python_has_inline_script_or_style():
    """Charts (threads/library/stats.py) and other generated markup use classes and
    presentation attributes (fill, stroke), which the policy allows."""
    problems = [
        f"{path.relative_to(ROOT)}: {match.group(0)!r}"
        for path in sorted((ROOT / "threads").rglob("*.py"))
        if "migrations" not in path.parts
        for match in INLINE_IN_PYTHON.finditer(path.read_text(encoding="utf-8"))
    ]
    assert problems == []
