"""The site's URLs, one section per area. Each section's views live in their own module
under threads/views/."""

from django.urls import path, register_converter

from threads.views import (
    accounts,
    chapters,
    characters,
    comments,
    dashboard,
    discovery,
    downloads,
    health,
    imports,
    library,
    posting,
    reading,
    reports,
    stories,
    tags,
    two_factor,
)


class UnicodeSlugConverter:
    """Slugs in any script: story and character slugs keep non-Latin letters."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

# Reading: anonymous readers browse and read.
urlpatterns = [
    path("", reading.home, name="home"),
    path("stories/", reading.story_list, name="story_list"),
    path("stories/<uslug:slug>/", reading.story_detail, name="story_detail"),
    path("stories/<uslug:slug>/adult-ok/", reading.adult_consent, name="adult_consent"),
    path("stories/<uslug:slug>/all/", reading.story_full, name="story_full"),
    path("stories/<uslug:slug>/chapters/", reading.chapter_jump, name="chapter_jump"),
    path(
        "stories/<uslug:slug>/chapters/<int:number>/",
        reading.chapter_detail,
        name="chapter_detail",
    ),
    path("characters/<uslug:slug>/", reading.character_detail, name="character_detail"),
    path("writers/<str:username>/", reading.writer_detail, name="writer_detail"),
]

# Accounts: sign up, profile and preferences (logging in is Django's, in rp_archive/urls.py).
urlpatterns += [
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/profile/", accounts.profile_edit, name="profile_edit"),
    path("accounts/preferences/", accounts.preferences, name="preferences"),
    # Confirming an e-mail address (threads/accounts/confirmation.py).
    path("accounts/signup/sent/", accounts.signup_sent, name="signup_sent"),
    path("accounts/confirm/<str:token>/", accounts.confirm_email, name="confirm_email"),
    path("accounts/email/", accounts.email_confirmation, name="email_confirmation"),
    path(
        "accounts/email/resend/",
        accounts.email_confirmation_resend,
        name="email_confirmation_resend",
    ),
]

# Writing: stories, members, characters, chapters, scenes. Under write/, so "new" can
# never be mistaken for a story or character slug.
_story = "write/stories/<uslug:slug>/"
_chapter = _story + "chapters/<int:number>/"
_scene = _chapter + "scenes/<int:position>/"
urlpatterns += [
    path("write/", stories.my_stories, name="my_stories"),
    path("write/stories/new/", stories.story_create, name="story_create"),
    path(_story, stories.story_manage, name="story_manage"),
    path(_story + "edit/", stories.story_edit, name="story_edit"),
    path(_story + "status/", stories.story_set_status, name="story_set_status"),
    path(_story + "members/", stories.story_members, name="story_members"),
    path(_story + "members/<int:pk>/remove/", stories.member_remove, name="member_remove"),
    path(_story + "members/<int:pk>/role/", stories.member_role, name="member_role"),
    path("write/invitations/<int:pk>/accept/", stories.invitation_accept, name="invitation_accept"),
    path(
        "write/invitations/<int:pk>/decline/", stories.invitation_decline, name="invitation_decline"
    ),
    path(_story + "chapters/new/", chapters.chapter_create, name="chapter_create"),
    path(_chapter + "edit/", chapters.chapter_edit, name="chapter_edit"),
    path(_chapter + "publish/", chapters.chapter_publish, name="chapter_publish"),
    path(_chapter + "move/", chapters.chapter_move, name="chapter_move"),
    path(_chapter + "scenes/new/", chapters.scene_create, name="scene_create"),
    path(_scene + "edit/", chapters.scene_edit, name="scene_edit"),
    path(_scene + "open/", chapters.scene_set_open, name="scene_set_open"),
    path(_scene + "move/", chapters.scene_move, name="scene_move"),
    path("write/characters/", characters.my_characters, name="my_characters"),
    path("write/characters/new/", characters.character_create, name="character_create"),
    path("write/characters/<uslug:slug>/edit/", characters.character_edit, name="character_edit"),
    path(
        "write/characters/<uslug:slug>/retire/",
        characters.character_retire,
        name="character_retire",
    ),
]

# Posting: the scene page, turns, previews, edits, withdrawals, skips, and the dashboard.
_scene_page = "stories/<uslug:slug>/chapters/<int:number>/scenes/<int:position>/"
urlpatterns += [
    path(_scene_page, posting.scene_detail, name="scene_detail"),
    path(_scene_page + "post/", posting.post_submit, name="post_submit"),
    path(_scene_page + "skip/", posting.turn_skip, name="turn_skip"),
    path(_scene_page + "seen/", posting.scene_seen, name="scene_seen"),
    path("posts/preview/", posting.post_preview, name="post_preview"),
    path("posts/<int:pk>/edit/", posting.post_edit, name="post_edit"),
    path("posts/<int:pk>/history/", posting.post_history, name="post_history"),
    path("posts/<int:pk>/withdraw/", posting.post_withdraw, name="post_withdraw"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
]

# Moderation: reports from readers; decisions happen in the admin.
urlpatterns += [
    path("posts/<int:pk>/report/", reports.report_post, name="report_post"),
]

# Interchange: the story page's downloads, the public JSON, and the owner's backup.
urlpatterns += [
    path("stories/<uslug:slug>/story.json", downloads.story_json, name="story_json"),
    path(
        "stories/<uslug:slug>/download.<str:fmt>",
        downloads.story_download,
        name="story_download",
    ),
    path("write/stories/<uslug:slug>/backup.json", downloads.story_backup, name="story_backup"),
]

# Library: the reader's place in each story, history, bookmarks, kudos, reader-insert name.
_reader_story = "stories/<uslug:slug>/"
urlpatterns += [
    path(_reader_story + "position/", library.save_position, name="save_position"),
    path(_reader_story + "kudos/", library.give_kudos, name="give_kudos"),
    path(_reader_story + "bookmark/", library.bookmark_save, name="bookmark_save"),
    path(_reader_story + "bookmark/remove/", library.bookmark_remove, name="bookmark_remove"),
    path("library/history/", library.reading_history, name="reading_history"),
    path("library/bookmarks/", library.bookmark_list, name="bookmark_list"),
    path("library/reader-name/", library.reader_name, name="reader_name"),
    path("library/reader-name.json", library.reader_name_json, name="reader_name_json"),
]

# Comments, following a story by e-mail, blocks and mutes (threads.library.comments and
# subscriptions); the unsubscribe link is signed and works logged out.
urlpatterns += [
    path(
        _reader_story + "chapters/<int:number>/comments/",
        comments.comment_post,
        name="comment_post",
    ),
    path("comments/<int:pk>/report/", comments.comment_report, name="comment_report"),
    path(_reader_story + "follow/", comments.subscribe, name="subscribe"),
    path("unsubscribe/<str:token>/", comments.unsubscribe, name="unsubscribe"),
    path("writers/<str:username>/block/", comments.block_reader, name="block_reader"),
    path("writers/<str:username>/mute/", comments.mute_writer, name="mute_writer"),
]

# Discovery: search, the Atom feeds (under feeds/, clear of story slugs) and the sitemap.
urlpatterns += [
    path("search/", discovery.search, name="search"),
    path("feeds/stories/", discovery.recent_stories_feed, name="feed_recent_stories"),
    path("feeds/stories/<uslug:slug>/", discovery.story_feed, name="feed_story"),
    path("feeds/tags/<str:slug>/", discovery.tag_feed, name="feed_tag"),
    path("sitemap.xml", discovery.sitemap, name="sitemap"),
]

# Tags: the most used tags, a tag's stories and characters, suggestions for the tag inputs.
urlpatterns += [
    path("tags/", tags.tag_index, name="tag_index"),
    path("tags/suggest/", tags.tag_suggest, name="tag_suggest"),
    path("tags/<str:slug>/", tags.tag_detail, name="tag_detail"),
]

# Imports: the owner's upload with its preview, claims on imported posts, greetings.
urlpatterns += [
    path(_story + "import/", imports.import_upload, name="import_upload"),
    path(_story + "import/preview/", imports.import_preview, name="import_preview"),
    path(_story + "claims/<int:pk>/", imports.claim_decide, name="claim_decide"),
    path("characters/<uslug:slug>/claim/", imports.claim_ask, name="claim_ask"),
    path("write/characters/<uslug:slug>/greeting/", imports.greeting_post, name="greeting_post"),
]

# Hardening: the health check, and staff two-factor authentication.
urlpatterns += [
    path("healthz", health.healthz, name="healthz"),
    path("accounts/two-factor/", two_factor.two_factor, name="two_factor"),
    path("accounts/two-factor/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/off/", two_factor.two_factor_disable, name="two_factor_disable"),
]
