"""Reading: what anonymous readers (and everyone else) see of the archive."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.views.decorators.http import require_POST

from threads.discovery import tags
from threads.forms.browse import StoryFilterForm
from threads.lib.http import safe_next_url
from threads.library import reader_mode
from threads.models import Character, Membership, Post, Scene, Story

from .access import (
    adult_interstitial,
    asks_login_for_registered_stories,
    needs_adult_consent,
    post_actions,
    readable_story,
    remember_adult_consent,
)
from .credits import credit_posts
from .pagecache import cache_for_readers
from .reader_posts import render_scenes
from .story_cards import story_cards, story_page

STORIES_PER_PAGE = 20
# What the reading pages print of a post (threads.views.reader_posts, and the rules of
# post_actions), its credit coming from with_credit_columns(): nothing more, so a long
# chapter never loads writers' password hashes, e-mail addresses or bios, nor the
# Markdown source of every post.
READER_POST_FIELDS = (
    "scene",
    "number",
    "kind",
    "status",
    "body_html",
    "created_at",
    "published_at",
    "author",
    "character",
)


@cache_for_readers("site")
def home(request):
    stories = (
        Story.objects.readable_by(request.user)
        .not_muted_by(request.user)
        .with_published_chapters()
        .recently_updated()
        .for_listing()[:10]
    )
    return render(request, "threads/home.html", {"stories": story_cards(stories)})


@cache_for_readers("site")
def story_list(request):
    """Every readable story, filtered and sorted as the query string asks (forms.browse)."""
    form = StoryFilterForm(request.GET)
    stories = form.apply(Story.objects.readable_by(request.user).with_published_chapters())
    stories = stories.not_muted_by(request.user)
    page = story_page(stories, request.GET.get("page"), STORIES_PER_PAGE)
    included = form.included_tags()
    # One tag asked for: the heading names it as it is spelled (one query).
    tag = tags.named(included[0]).first() if len(included) == 1 else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "threads/story_list.html",
        {
            "page": page,
            "stories": page,
            "form": form,
            "tag_name": tag.name if tag else ", ".join(included),
            "tag": tag,
            "query": query.urlencode(),
        },
    )


@cache_for_readers("story")
@asks_login_for_registered_stories
def story_detail(request, slug):
    story = readable_story(request, slug)
    if needs_adult_consent(request, story):
        return adult_interstitial(request, story)
    memberships = story.memberships.active().select_related("user").order_by("pk")
    chapters = story.chapters.published().order_by("number")
    characters = (
        Character.objects.filter(
            participations__scene__chapter__story=story,
            participations__scene__chapter__is_published=True,
        )
        .select_related("owner")
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "threads/story_detail.html",
        {
            "story": story,
            "memberships": memberships,
            "chapters": chapters,
            "characters": characters,
            "membership": story.membership_of(request.user),
        },
    )


@require_POST
@asks_login_for_registered_stories
def adult_consent(request, slug):
    """One click through the Mature/Explicit notice; remembered for the rest of the session."""
    story = readable_story(request, slug)
    remember_adult_consent(request)
    return redirect(safe_next_url(request, story.get_absolute_url()))


@cache_for_readers("story")
@asks_login_for_registered_stories
def chapter_detail(request, slug, number):
    story = readable_story(request, slug)
    chapter = get_object_or_404(story.chapters.published(), number=number)
    if needs_adult_consent(request, story):
        return adult_interstitial(request, story)
    membership = story.membership_of(request.user)
    show_all = reader_mode.shows_all_posts(request, membership)  # OOC and skips too
    posts = reader_mode.chapter_posts(show_all).only(*READER_POST_FIELDS)
    scenes = _with_posts(chapter.scenes.order_by("position"), posts)
    _render_posts(request, scenes, membership)
    return render(
        request,
        "threads/chapter_detail.html",
        {
            "story": story,
            "chapter": chapter,
            "scenes": scenes,
            **_chapter_nav(story, chapter),
            "membership": membership,
            "show_all_posts": show_all,
        },
    )


@asks_login_for_registered_stories
def chapter_jump(request, slug):
    """The chapter index's target: ?number=N goes to chapter N, anything else to the story."""
    story = readable_story(request, slug)
    number = request.GET.get("number", "")
    if number.isascii() and number.isdigit() and len(number) < 10:
        return redirect("chapter_detail", story.slug, int(number))
    return redirect(story)


@cache_for_readers("story")
@asks_login_for_registered_stories
def story_full(request, slug):
    """Every published chapter on one page, for reading straight through or printing."""
    story = readable_story(request, slug)
    if needs_adult_consent(request, story):
        return adult_interstitial(request, story)
    scenes = Scene.objects.order_by("position").prefetch_related(
        Prefetch("posts", queryset=_reader_posts(), to_attr="reader_posts")
    )
    chapters = list(
        story.chapters.published()
        .order_by("number")
        .prefetch_related(Prefetch("scenes", queryset=scenes, to_attr="reader_scenes"))
    )
    membership = story.membership_of(request.user)
    all_scenes = [scene for chapter in chapters for scene in chapter.reader_scenes]
    _render_posts(request, all_scenes, membership)
    return render(
        request,
        "threads/story_full.html",
        {
            "story": story,
            "chapters": chapters,
            "memberships": story.memberships.active().select_related("user").order_by("pk"),
            "membership": membership,
        },
    )


def _reader_posts():
    return (
        Post.objects.for_readers()
        .with_credit_columns()
        .only(*READER_POST_FIELDS)
        .order_by("number")
    )


def _chapter_nav(story, chapter):
    """The chapter's place in the story, and what threads/_chapter_nav.html prints above
    and below its text: each URL reversed and the index's options built once, not once
    for each copy of the navigation."""
    contents = list(story.chapters.published().order_by("number").values_list("number", "title"))
    numbers = [number for number, _ in contents]
    index = numbers.index(chapter.number)

    def url_of(place):
        if 0 <= place < len(numbers):
            return reverse("chapter_detail", args=[story.slug, numbers[place]])
        return None

    options = format_html_join(
        "",
        '<option value="{}"{}>{}. {}</option>',
        ((n, " selected" if n == chapter.number else "", n, title) for n, title in contents),
    )
    return {
        "position": index + 1,
        "chapter_total": len(numbers),
        "previous_url": url_of(index - 1),
        "next_url": url_of(index + 1),
        # The index, for a story of more than one chapter.
        "jump_url": reverse("chapter_jump", args=[story.slug]) if len(numbers) > 1 else None,
        "chapter_options": options,
    }


def _with_posts(scenes, posts):
    """The scenes, each with its ``posts`` as ``reader_posts``, in two queries: what
    prefetch_related does, without its cost per post on a long chapter."""
    scenes = list(scenes)
    for scene in scenes:
        scene.reader_posts = []
    by_pk = {scene.pk: scene for scene in scenes}
    for post in posts.filter(scene__in=scenes):
        by_pk[post.scene_id].reader_posts.append(post)
    return scenes


def _render_posts(request, scenes, membership):
    """Each scene's ``posts_html``: its posts (fetched as ``reader_posts``), credited, with
    the actions the reader may take on them; an anonymous reader may take none."""
    posts = credit_posts([post for scene in scenes for post in scene.reader_posts])
    actions = None
    if request.user.is_authenticated:
        actions = post_actions(posts, request.user, membership)
    render_scenes(scenes, actions, request)


def character_detail(request, slug):
    character = get_object_or_404(Character.objects.select_related("owner"), slug=slug)
    # A subquery, not a join, so the chapter counts on the story cards stay right.
    appears_in = Scene.objects.filter(participants__character=character).values("chapter__story")
    stories = (
        Story.objects.readable_by(request.user)
        .filter(pk__in=appears_in)
        .with_published_chapters()
        .recently_updated()
        .for_listing()
    )
    return render(
        request,
        "threads/character_detail.html",
        {"character": character, "stories": story_cards(stories)},
    )


def writer_detail(request, username):
    writer = get_object_or_404(get_user_model(), username=username, is_active=True)
    stories = (
        Story.objects.readable_by(request.user)
        .filter(memberships__user=writer, memberships__status=Membership.Status.ACTIVE)
        .with_published_chapters()
        .recently_updated()
        .for_listing()
    )
    characters = writer.characters.active().order_by("name")
    if request.user != writer:
        # As in search: a character known only from a story this reader may not read
        # stays unknown to them.
        characters = characters.filter(pk__in=tags.visible_characters(request.user))
    return render(
        request,
        "threads/writer_detail.html",
        {"writer": writer, "stories": story_cards(stories), "characters": characters},
    )
