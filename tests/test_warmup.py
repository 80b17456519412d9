"""rp_archive/warmup.py: the work an app server process does once, before gunicorn forks its
workers, so a new worker's first pages cost what its later ones do."""

from pathlib import Path

from django.template import engines
from django.test import Client

from rp_archive.warmup import warm_up

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_site_template_is_compiled_before_the_first_request(db, monkeypatch):
    loader = engines["django"].engine.template_loaders[0]  # the cached loader
    loader.reset()
    warm_up()
    names = {path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.html")}
    assert len(names) > 50
    assert names <= set(loader.get_template_cache)

    # Serving pages then reads no template file again.
    def no_reading(self, *args, **kwargs):
        raise AssertionError(f"read {self} after the warm-up")

    monkeypatch.setattr(Path, "read_text", no_reading)
    monkeypatch.setattr("builtins.open", no_reading)
    client = Client()
    for url in ("/", "/stories/", "/tags/", "/search/?q=lantern"):
        assert client.get(url).status_code == 200
