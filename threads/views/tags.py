"""Tag pages: the most used tags, one tag's stories and characters, and suggestions for the
tag inputs. Only what the reader may read is listed or counted (threads.discovery.tags)."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.views.decorators.http import require_GET
from taggit.models import Tag

from threads.discovery import tags
from threads.views.pagecache import cache_for_readers
from threads.views.story_cards import story_page

STORIES_PER_PAGE = 20
CHARACTERS_SHOWN = 50


@cache_for_readers("site")
def tag_index(request):
    cloud = tags.cloud(request.user)
    # Written here, not in the template, where a hundred tags took four times as long as
    # the query that counts them (threads/views/story_cards.py does the same for cards).
    cloud_html = format_html_join(
        "",
        '<li class="tag-size-{}"><a href="{}" dir="auto">{}</a> <span class="tag-count">'
        '({}<span class="visually-hidden"> {}</span>)</span></li>',
        _cloud_items(cloud),
    )
    return render(
        request, "threads/tags/tag_index.html", {"cloud": cloud, "cloud_html": cloud_html}
    )


def _cloud_items(cloud):
    for item in cloud:
        url = reverse("tag_detail", args=[item.tag.slug])
        noun = "story" if item.count == 1 else "stories"
        yield item.bucket, url, item.tag.name, item.count, noun


@cache_for_readers("site")
def tag_detail(request, slug):
    """A tag's readable stories, paginated, and its characters. A synonym's page sends the
    reader on to its canonical tag's, which lists both."""
    tag = get_object_or_404(Tag.objects.select_related("info__synonym_of"), slug=slug)
    canonical = tags.canonical_of(tag)
    if canonical is not None:
        return redirect("tag_detail", canonical.slug, permanent=True)
    kin = tags.equivalent_ids(tag)  # the tag and its synonyms
    stories = tags.stories_tagged(request.user, kin).recently_updated()
    page = story_page(stories, request.GET.get("page"), STORIES_PER_PAGE)
    characters = list(tags.characters_tagged(request.user, kin).order_by("name")[:CHARACTERS_SHOWN])
    if not characters and not page.paginator.count:
        raise Http404("No story or character you may read has this tag.")  # nor its name
    return render(
        request,
        "threads/tags/tag_detail.html",
        {
            "tag": tag,
            "page": page,
            "stories": page,
            "characters": characters,
        },
    )


@require_GET
def tag_suggest(request):
    """?q=prefix: up to ten tag names as JSON, for tag-suggest.js."""
    names = tags.suggestions(request.user, request.GET.get("q", ""))
    return JsonResponse({"tags": names})
