"""The results of a search (threads/discovery/search.html), each written here as one <li>.

As with story cards (threads/views/story_cards.py), twenty results through the template's
lookups, conditions and URL reversals took longer than the search that found them. Every
text is escaped by format_html; the title and snippet come from
threads.discovery.search.highlight, which escapes the text and adds only <mark>."""

from django.template.defaultfilters import urlencode
from django.urls import reverse
from django.utils.html import format_html, format_html_join


def results_html(results, q):
    """The <li> of every result in ``results`` (threads.discovery.search.Result), with
    links to search ``q`` again within its story, character or writer."""
    more = "?q=" + urlencode(q)
    return format_html_join("", "{}", ((_result(result, more),) for result in results))


def _result(result, more):
    entry = result.entry
    snippet = format_html('<p class="search-snippet" dir="auto">{}</p>', result.snippet)
    return format_html(
        '<li class="search-result search-result-{}"><p class="search-kind">{}</p>'
        '<h2><a href="{}" dir="auto">{}</a></h2>{}'
        '<p class="credit">{}</p><p class="search-more">{}</p></li>',
        result.kind,
        result.label,
        result.url,
        result.title,
        snippet if result.snippet else "",
        _credit(result),
        _more(entry, more),
    )


def _credit(result):
    """Who wrote it (and as whom), then where: "Aleksei, written by Mira · in The Lantern
    Road"; a chapter, which has no writer of its own, only says where."""
    entry, kind = result.entry, result.kind
    who = where = ""
    if entry.author:
        who = format_html(
            '{} by <a href="{}"><bdi>{}</bdi></a>',
            "played" if kind == "character" else "written",
            reverse("writer_detail", args=[entry.author.username]),
            entry.author.name,
        )
    if entry.character and kind == "post":
        who = format_html("<bdi>{}</bdi>, {}", entry.character.name, who)
    if entry.story and kind != "story":
        url, title = entry.story.get_absolute_url(), entry.story.title
        where = format_html('in <a href="{}"><bdi>{}</bdi></a>', url, title)
    return format_html_join(" · ", "{}", ((part,) for part in (who, where) if part))


def _more(entry, more):
    """Links to search again within the result's story, with its character, by its writer."""
    within = []
    if entry.story:
        within.append(("story", entry.story.slug, "More from this story"))
    if entry.character:
        label = format_html("More with <bdi>{}</bdi>", entry.character.name)
        within.append(("character", entry.character.slug, label))
    if entry.author:
        label = format_html("More by <bdi>{}</bdi>", entry.author.name)
        within.append(("writer", entry.author.username, label))
    return format_html_join(
        " ",
        '<a href="{}&amp;{}={}">{}</a>',
        ((more, name, urlencode(value), label) for name, value, label in within),
    )
