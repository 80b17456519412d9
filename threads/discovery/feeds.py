"""Atom feeds (Django's syndication framework): the site's recently updated stories, each
story's new chapters and newly published posts, and the stories carrying a tag. Only public
text (discovery.public); a Mature or Explicit story's posts are announced, not quoted, since
a feed cannot show the notice its pages show."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from taggit.models import Tag

from threads.lib.excerpts import excerpt

from . import public
from .tags import with_tag

ITEMS = 30


class _AtomFeed(Feed):
    feed_type = Atom1Feed
    author_name = "RP Archive"


class _StoryItems:
    """Entries that are stories: credited to their active writers, tagged with their tags."""

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return excerpt(story.summary_html, 500)

    def item_link(self, story):
        return story.get_absolute_url()

    def item_pubdate(self, story):
        return story.created_at

    def item_updateddate(self, story):
        return story.updated_at

    def item_author_name(self, story):
        return ", ".join(m.user.name for m in story.active_memberships) or None

    def item_categories(self, story):
        return [tag.name for tag in story.listed_tags]


class RecentStoriesFeed(_StoryItems, _AtomFeed):
    title = "RP Archive: recently updated stories"
    subtitle = "Stories with new chapters and posts, newest first."
    link = reverse_lazy("story_list")

    def items(self):
        return public.stories().recently_updated().for_listing()[:ITEMS]


class TagFeed(_StoryItems, _AtomFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag.objects.select_related("info__synonym_of"), slug=slug)

    def title(self, tag):
        return f"RP Archive: stories tagged “{tag.name}”"

    def subtitle(self, tag):
        return f"New and updated stories tagged “{tag.name}”."

    def link(self, tag):
        return reverse("tag_detail", args=[tag.slug])

    def items(self, tag):
        tagged = with_tag(public.stories(), tag)  # its synonyms' stories too
        return tagged.recently_updated().for_listing()[:ITEMS]


class StoryFeed(_AtomFeed):
    """A story's new chapters and newly published posts, by the time readers first saw them."""

    def get_object(self, request, slug):
        return get_object_or_404(public.stories(), slug=slug)

    def title(self, story):
        return f"{story.title} · RP Archive"

    def subtitle(self, story):
        return excerpt(story.summary_html, 300) or f"New chapters and posts of {story.title}."

    def link(self, story):
        return story.get_absolute_url()

    def items(self, story):
        chapters = public.chapters().filter(story=story).select_related("story")
        posts = (
            public.posts()
            .filter(scene__chapter__story=story)
            .select_related("author", "character", "scene__chapter__story")
        )
        newest = [
            *chapters.order_by("-published_at")[:ITEMS],
            *posts.order_by("-published_at")[:ITEMS],
        ]
        newest.sort(key=self.item_pubdate, reverse=True)
        return newest[:ITEMS]

    def item_title(self, item):
        if hasattr(item, "scene"):
            who = item.character.name if item.character else "Narration"
            return f"{who} in chapter {item.scene.chapter.number}: {item.scene.chapter.title}"
        return f"Chapter {item.number}: {item.title}"

    def item_description(self, item):
        if hasattr(item, "scene"):
            if item.scene.chapter.story.is_adult:
                return "A new post. Read it on the site."
            return excerpt(item.body_html, 500)
        return excerpt(item.summary_html, 500) or "A new chapter."

    def item_link(self, item):
        if hasattr(item, "scene"):
            return post_url(item.scene.chapter.story, item.scene.chapter, item)
        return item.get_absolute_url()

    def item_pubdate(self, item):
        # A chapter made published from the start has no published_at: it appeared when made.
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return self.item_pubdate(item)  # Atom asks every entry for one

    def item_author_name(self, item):
        return item.author.name if hasattr(item, "scene") else None


def post_url(story, chapter, post):
    """A post's place in its chapter's reading page."""
    url = reverse("chapter_detail", args=[story.slug, chapter.number])
    return f"{url}#post-{post.scene_id}-{post.number}"
