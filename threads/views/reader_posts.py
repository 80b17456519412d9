"""The posts of the reading pages (a chapter, the whole story) as HTML, built here rather
than by a template run once per post.

A chapter may hold a thousand posts: including a template for each, with its lookups and
tests, cost more than the rest of the page. Here each writer's and character's credit is
escaped once a page, each URL reversed once a page, and a post adds its number, anchor and
stored body. ``format_html`` escapes everything it is given except ``body_html``, the
sanitized HTML threads.lib.markup stored, and the pieces built here from escaped parts.

Reading pages show published posts only, which are approved (threads.writing.frontier):
the scene page's notes on pending, held-back, rejected and removed posts, its post numbers
and times are threads/_post.html's, where writers see them. The portrait and the actions'
links are written here for both (``PostMarkup.actions``, ``portrait``); the credits and skip
notes are simple enough to keep in step by eye."""

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.middleware.csrf import get_token
from django.template.defaultfilters import date, urlencode
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def render_scenes(scenes, actions, request):
    """Attach to each scene ``posts_html``: its ``reader_posts`` (credited by
    threads.views.credits.credit_posts) as readers see them, with the links of ``actions``
    (threads.views.access.post_actions; None for a reader who may do nothing)."""
    page = PostMarkup(actions, request)
    for scene in scenes:
        scene.posts_html = format_html_join(
            "\n", "{}", ((page.post(p),) for p in scene.reader_posts)
        )


class PostMarkup:
    """What every post of one page shares: credits and action URLs, made once."""

    def __init__(self, actions, request):
        self.allowed = actions  # threads.views.access.post_actions, or None
        self.request = request
        self.writers = {}  # author_id -> the writer's link
        self.headers = {}  # (author_id, character_id) -> an IC post's header, up to its anchor
        if actions is not None:
            self.edit_url = _url_with_pk("post_edit")
            self.history_url = _url_with_pk("post_history")
            self.withdraw_url = _url_with_pk("post_withdraw")
            self.report_url = _url_with_pk("report_post")
            self.report_next = urlencode(request.get_full_path())

    def post(self, post):
        """The post's article: one for each kind of post, each written out whole."""
        if post.is_ic:
            return self._in_character(post)
        if post.is_narration:
            return self._narration(post)
        if post.is_skip:
            return self._skip(post)
        return self._ooc(post)

    # --- Each kind of post -------------------------------------------------------------

    def _in_character(self, post):
        """Headed by the character, crediting the writer."""
        return format_html(
            '<article class="{}" id="{}">\n  {} <a class="post-anchor" href="#{}" '
            'title="Link to this post"><span class="visually-hidden">Link to this post</span>#'
            '</a></span></p>\n  </header>\n  <div class="post-body" dir="auto">{}</div>{}\n'
            "</article>",
            _classes(post),
            post.anchor,
            self._character_header(post),
            post.anchor,
            _body(post),
            self.actions(post),
        )

    def _narration(self, post):
        """Unheaded, credited below the text."""
        return format_html(
            '<article class="{}" id="{}">\n  <div class="post-body" dir="auto">{}</div>\n'
            '  <p class="credit narration-credit">narration by {} <a class="post-anchor" '
            'href="#{}" title="Link to this post"><span class="visually-hidden">Link to this '
            "post</span>#</a></p>{}\n</article>",
            _classes(post),
            post.anchor,
            _body(post),
            self._writer(post),
            post.anchor,
            self.actions(post),
        )

    def _ooc(self, post):
        return format_html(
            '<article class="{}" id="{}">\n  <header class="post-header">\n'
            '    <p><span class="badge">OOC</span> {}</p>\n  </header>\n'
            '  <div class="post-body" dir="auto">{}</div>{}\n</article>',
            _classes(post),
            post.anchor,
            self._writer(post),
            _body(post),
            self.actions(post),
        )

    def _skip(self, post):
        created_at = timezone.localtime(post.created_at)
        return format_html(
            '<article class="{}" id="{}">\n'
            '  <p class="skip-note"><a class="post-number" href="?post={}#{}">#{}</a>\n'
            "    <bdi>{}</bdi> skipped <bdi>{}</bdi>'s turn\n"
            '    <time datetime="{}">{}</time>.</p>{}\n</article>',
            _classes(post),
            post.anchor,
            post.number,
            post.anchor,
            post.number,
            post.author_name,
            getattr(post, "character_name", ""),
            date(created_at, "c"),
            naturaltime(created_at),
            self.actions(post),
        )

    # --- Credits, once a writer and character ------------------------------------------

    def _writer(self, post):
        link = self.writers.get(post.author_id)
        if link is None:
            link = self.writers[post.author_id] = format_html(
                '<a href="{}" dir="auto">{}</a>', post.author_url, post.author_name
            )
        return link

    def _character_header(self, post):
        key = (post.author_id, post.character_id)
        header = self.headers.get(key)
        if header is None:
            header = self.headers[key] = format_html(
                '<header class="post-header">\n    {}\n    <p><a class="character-name" '
                'href="{}" dir="auto">{}</a>\n      <span class="credit">written by {}',
                portrait(post),
                post.character_url,
                post.character_name,
                self._writer(post),
            )
        return header

    # --- What the reader may do ----------------------------------------------------------

    def actions(self, post):
        """The reader's links to act on the post (Edit, History, Withdraw, Report); the
        scene page prints them too (threads/_post.html)."""
        if self.allowed is None:
            return ""
        pk, number, links = post.pk, post.number, []
        if pk in self.allowed.edit:
            links.append(
                format_html(
                    '<a class="post-action" href="{}">Edit'
                    '<span class="visually-hidden"> post #{}</span></a>',
                    self.edit_url(pk),
                    number,
                )
            )
        if pk in self.allowed.history:
            links.append(
                format_html(
                    '<a class="post-action" href="{}">History'
                    '<span class="visually-hidden"> of post #{}</span></a>',
                    self.history_url(pk),
                    number,
                )
            )
        if pk in self.allowed.withdraw:
            links.append(self._withdraw_form(post))
        if pk in self.allowed.report:
            links.append(
                format_html(
                    '<a class="post-action" href="{}?next={}" rel="nofollow">Report'
                    '<span class="visually-hidden"> post #{}</span></a>',
                    self.report_url(pk),
                    self.report_next,
                    number,
                )
            )
        return format_html_join("", "\n  {}", ((link,) for link in links))

    def _withdraw_form(self, post):
        if post.is_skip:
            label = "Undo this skip"
        else:
            label = format_html(
                'Withdraw<span class="visually-hidden"> post #{}</span>', post.number
            )
        return format_html(
            '<form class="post-action inline-form" method="post" action="{}" '
            'data-confirm="Withdraw post #{}? It leaves the scene, and any turn it took is given '
            'back."><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="link-button">{}</button></form>',
            self.withdraw_url(post.pk),
            post.number,
            get_token(self.request),
            label,
        )


def _classes(post):
    if post.is_approved:
        return f"post post-{post.kind}"
    return f"post post-{post.kind} post-{post.status}"


def portrait(post):
    if post.portrait_url:
        return format_html(
            '<img class="portrait portrait-small" src="{}" alt="" width="48" height="48" '
            'loading="lazy">',
            post.portrait_url,
        )
    return format_html(
        '<span class="portrait portrait-small portrait-initials" aria-hidden="true">{}</span>',
        post.initials,
    )


def _body(post):
    """The post's text: HTML sanitized when it was saved (threads.lib.markup)."""
    return mark_safe(post.body_html)  # noqa: S308


_PK = 987654321


def _url_with_pk(name):
    """``reverse(name, args=[pk])`` as a function of ``pk``, for a URL whose one argument is
    an integer primary key: reversed once a page, not once a post."""
    before, after = reverse(name, args=[_PK]).split(str(_PK))
    return lambda pk: f"{before}{pk}{after}"
