"""The story cards of the lists of stories: the home page, the story list, a tag's page, a
writer's and a character's. Each story gets its ``card``, the whole <article>, written here.

Through a template, twenty cards (an include each, a hundred lookups, filters and URL
reversals) were most of a list's time. What cards share is made once a page: a writer's
link, the story list's address, a day's date. Every text is escaped by format_html; the
summary is the stored, sanitized ``summary_html``."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.template.defaultfilters import date, urlencode
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from threads.models import Rating, Story

RATINGS = dict(Rating.choices)
STATUSES = dict(Story.Status.choices)


def story_page(stories, number, per_page):
    """Page ``number`` of ``stories``, its rows read with everything their cards show
    (Story.objects.for_listing()). The stories are counted on the bare query: the cards'
    chapter counts would have the count join and group every story for nothing."""
    page = Paginator(stories, per_page).get_page(number)
    page.object_list = story_cards(page.object_list.for_listing())
    return page


def story_cards(stories):
    """``stories`` (read with Story.objects.for_listing()) as a list, each with its
    ``card``."""
    stories = list(stories)
    cards = _Cards()
    for story in stories:
        story.card = cards.card(story)
    return stories


class _Cards:
    def __init__(self):
        self.tag_url = reverse("story_list") + "?tag="
        self.writers = {}  # user pk -> the writer's link
        self.bylines = {}  # user pks -> their links
        self.tags = {}  # tag pk -> its list item
        self.days = {}  # date -> as the card prints it

    def card(self, story):
        updated = template_localtime(story.updated_at)
        warnings = ""
        if story.warnings:
            labels = ", ".join(story.get_warnings_display())
            warnings = format_html("<div><dt>Warnings</dt><dd>{}</dd></div>", labels)
        summary = ""
        if story.summary_html:
            summary = format_html('<div class="summary" dir="auto">{}</div>', _summary(story))
        tags = ""
        if story.listed_tags:
            items = format_html_join("", "{}", ((self._tag(tag),) for tag in story.listed_tags))
            tags = format_html('<ul class="tags" aria-label="Tags">{}</ul>', items)
        return format_html(
            '<article class="story-card"><header>'
            '<h3 class="story-card-title"><a href="{}" dir="auto">{}</a></h3>'
            '<p class="byline">by {}</p></header><dl class="story-facts">'
            '<div><dt>Rating</dt><dd class="rating rating-{}">{}</dd></div>{}'
            "<div><dt>Status</dt><dd>{}</dd></div><div><dt>Words</dt><dd>{}</dd></div>"
            "<div><dt>Chapters</dt><dd>{}</dd></div><div><dt>Kudos</dt><dd>{}</dd></div>"
            '<div><dt>Updated</dt><dd><time datetime="{}">{}</time></dd></div></dl>'
            "{}{}</article>",
            story.get_absolute_url(),
            story.title,
            self._byline(story.active_memberships),
            story.rating,
            RATINGS.get(story.rating, story.rating),
            warnings,
            STATUSES.get(story.status, story.status),
            intcomma(story.word_count),
            story.published_chapter_count,
            intcomma(story.kudos_count),
            updated.isoformat(),
            self._day(updated),
            summary,
            tags,
        )

    def _byline(self, memberships):
        """The writers' links; a list of stories often shows the same writers again."""
        writers = tuple(m.user_id for m in memberships)
        byline = self.bylines.get(writers)
        if byline is None:
            links = ((self._writer(m.user),) for m in memberships)
            byline = self.bylines[writers] = format_html_join(", ", "{}", links) or "unknown"
        return byline

    def _writer(self, user):
        link = self.writers.get(user.pk)
        if link is None:
            link = self.writers[user.pk] = format_html(
                '<a href="{}" dir="auto">{}</a>', user.get_absolute_url(), user.name
            )
        return link

    def _tag(self, tag):
        item = self.tags.get(tag.pk)
        if item is None:
            item = self.tags[tag.pk] = format_html(
                '<li><a href="{}{}" dir="auto">{}</a></li>',
                self.tag_url,
                urlencode(tag.slug),
                tag.name,
            )
        return item

    def _day(self, moment):
        day = moment.date()
        if day not in self.days:
            self.days[day] = date(moment, "j M Y")
        return self.days[day]


def _summary(story):
    """The story's summary: HTML sanitized when it was saved (threads.lib.markup)."""
    return mark_safe(story.summary_html)  # noqa: S308
