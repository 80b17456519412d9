"""The story cards of the lists of stories (threads/_story_card.html): the home page, the
story list, a tag's page, a writer's and a character's.

What a card prints is worked out here and handed to the template as one dict per story, so
the template makes a dozen plain lookups instead of a hundred lookups, filters and URL
reversals: on a page of twenty cards those were most of the page's time. What cards share
is made once a page: a writer's link, the story list's address, a day's date. Every text is
escaped, by format_html here or by the template; the summary is the stored, sanitized
``summary_html``."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.template.defaultfilters import date, urlencode
from django.urls import reverse
from django.utils.html import format_html, format_html_join
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
        return {
            "url": story.get_absolute_url(),
            "title": story.title,
            "byline": self._byline(story.active_memberships),
            "rating": story.rating,
            "rating_label": RATINGS.get(story.rating, story.rating),
            "warnings": ", ".join(story.get_warnings_display()) if story.warnings else "",
            "status": STATUSES.get(story.status, story.status),
            "words": intcomma(story.word_count),
            "chapters": story.published_chapter_count,
            "kudos": intcomma(story.kudos_count),
            "updated": updated.isoformat(),  # the date filter's "c"
            "updated_day": self._day(updated),
            "summary_html": story.summary_html,
            "tags": format_html_join("", "{}", ((self._tag(tag),) for tag in story.listed_tags)),
        }

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
