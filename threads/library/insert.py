"""Reader-insert: the name a reader wants in second-person stories, and keeping a story's
stored HTML in step with its placeholders.

The name lives in the session for anonymous readers and on the account for signed-in ones.
Pages never print it: the chapter page's HTML is the same for everyone (so it can be
cached), and static/js/reader-insert.js asks for the name and fills it in as text."""

from django.db import transaction

from threads.lib import markup
from threads.models import Chapter, Post, Story

NAME_SESSION_KEY = "reader_insert_name"
NAME_MAX_LENGTH = 300
RENDER_BATCH = 500


def name_of(request):
    if request.user.is_authenticated:
        return request.user.reader_name
    return request.session.get(NAME_SESSION_KEY, "")


def set_name(request, name):
    name = name.strip()[:NAME_MAX_LENGTH]
    if request.user.is_authenticated:
        request.user.reader_name = name
        request.user.save(update_fields=["reader_name"])
    elif name:
        request.session[NAME_SESSION_KEY] = name
    else:
        request.session.pop(NAME_SESSION_KEY, None)


def rerender_story(story):
    """Render the story's summary, chapter summaries and posts again with its current
    placeholders: after the owner turns reader-insert on or changes the list, a token they
    just added is wrapped in text written before."""
    placeholders = story.placeholders
    with transaction.atomic():
        Story.objects.filter(pk=story.pk).update(
            summary_html=markup.render(story.summary, placeholders)
        )
        for chapter in Chapter.objects.filter(story=story).only("pk", "summary"):
            chapter.summary_html = markup.render(chapter.summary, placeholders)
            chapter.save(update_fields=["summary_html"])
        posts = Post.objects.filter(scene__chapter__story=story).only("pk", "body").order_by("pk")
        batch = []
        for post in posts.iterator(chunk_size=RENDER_BATCH):
            post.body_html = markup.render(post.body, placeholders)
            batch.append(post)
            if len(batch) == RENDER_BATCH:
                Post.objects.bulk_update(batch, ["body_html"])
                batch = []
        Post.objects.bulk_update(batch, ["body_html"])
