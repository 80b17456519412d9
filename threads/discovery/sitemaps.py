"""sitemap.xml: the readable stories, chapters, tags, writers and characters, public ones
only (discovery.public)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import public


class StorySitemap(Sitemap):
    def items(self):
        return public.stories().order_by("pk").only("slug", "updated_at")

    def lastmod(self, story):
        return story.updated_at


class ChapterSitemap(Sitemap):
    def items(self):
        return (
            public.chapters()
            .select_related("story")
            .order_by("pk")
            .only("number", "published_at", "story__slug")
        )

    def lastmod(self, chapter):
        return chapter.published_at


class TagSitemap(Sitemap):
    def items(self):
        return public.tags().order_by("pk")

    def location(self, tag):
        return reverse("tag_detail", args=[tag.slug])


class WriterSitemap(Sitemap):
    def items(self):
        return public.writers().order_by("pk").only("username")


class CharacterSitemap(Sitemap):
    def items(self):
        return public.characters().order_by("pk").only("slug")


SITEMAPS = {
    "stories": StorySitemap,
    "chapters": ChapterSitemap,
    "tags": TagSitemap,
    "writers": WriterSitemap,
    "characters": CharacterSitemap,
}
