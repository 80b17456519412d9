"""The reader's library on pages whose views belong to others: the story page's panel
(continue reading, kudos, bookmark), the dashboard's "continue reading", and titles with
reader-insert placeholders marked. Each tag makes a fixed number of queries."""

from django import template

from threads.lib import markup
from threads.library import bookmarks, kudos, positions

register = template.Library()

CONTINUE_READING = 5


@register.filter
def reader_insert(text, story):
    """A title of a reader-insert story, its placeholders marked for reader-insert.js."""
    if not getattr(story, "reader_insert", False):
        return text
    return markup.insert_spans(text, story.placeholders)


@register.inclusion_tag("threads/library/_story_panel.html", takes_context=True)
def story_library(context, story):
    request = context["request"]
    user = request.user
    position = positions.position_in(user, story)
    membership = context.get("membership")
    return {
        "story": story,
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "position": position,
        "continue_url": positions.anchor(position) if position else None,
        "bookmark": bookmarks.bookmark_of(user, story),
        "kudos_given": kudos.given_by(story, user),
        "may_give_kudos": membership is None,
    }


@register.inclusion_tag("threads/library/_continue_reading.html", takes_context=True)
def continue_reading(context):
    user = context["request"].user
    recent = list(positions.history(user)[:CONTINUE_READING])
    return {"recent": [(p, positions.anchor(p)) for p in recent]}


@register.simple_tag
def continue_url(position):
    return positions.anchor(position)
