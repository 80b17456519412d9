"""Discovery: search, and the feeds and sitemap (built in threads/discovery/)."""

from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.paginator import Paginator
from django.shortcuts import render

from threads.discovery import feeds
from threads.discovery import search as finder
from threads.discovery.sitemaps import SITEMAPS
from threads.models import Character, SearchEntry, Story, User
from threads.views.pagecache import cache_for_readers
from threads.views.search_results import results_html

RESULTS_PER_PAGE = 20

# Feeds are read by machines, often: cached for anonymous readers like the pages.
recent_stories_feed = cache_for_readers("site")(feeds.RecentStoriesFeed())
story_feed = cache_for_readers("story")(feeds.StoryFeed())
tag_feed = cache_for_readers("site")(feeds.TagFeed())


def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS)


def search(request):
    """Search what the reader may read; ?story=, ?character=, ?writer= and ?kind= narrow it."""
    query = finder.parse(request.GET.get("q", ""))
    narrowing, labels = _narrowing(request)
    context = {"q": request.GET.get("q", "").strip()[:500], "query": query, "labels": labels}
    context["narrow"] = [(name, request.GET[name]) for name in labels]
    context["kinds"] = SearchEntry.Kind.choices
    context["kind"] = narrowing.get("kind", "")
    if not query.is_empty:
        found = finder.search(finder.visible_entries(request.user).filter(**narrowing), query)
        page = Paginator(found.ids, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        entries = finder.entries_for(page.object_list)
        results = finder.results(entries, query)
        context.update(page=page, results=results, keep=_keep(request))
        context["results_html"] = results_html(results, context["q"])
        context.update(count=len(found.ids), more=found.more)
    return render(request, "threads/discovery/search.html", context)


def _narrowing(request):
    """The filters asked for, as SearchEntry lookups, and the names to show for them. Each
    name costs one query; a story is named only if the reader may read it."""
    narrowing, labels = {}, {}
    if request.GET.get("kind") in SearchEntry.Kind.values:
        narrowing["kind"] = request.GET["kind"]
    if slug := request.GET.get("story"):
        narrowing["story__slug"] = slug
        story = Story.objects.readable_by(request.user).filter(slug=slug).first()
        labels["story"] = story.title if story else slug
    if slug := request.GET.get("character"):
        narrowing["character__slug"] = slug
        character = Character.objects.filter(slug=slug).first()
        labels["character"] = character.name if character else slug
    if username := request.GET.get("writer"):
        narrowing["author__username"] = username
        writer = User.objects.filter(username=username).first()
        labels["writer"] = writer.name if writer else username
    return narrowing, labels


def _keep(request):
    """The query string without the page, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
