"""The site's URLs, one section per area. Each section's views live in their own module
under threads/views/."""

from django.urls import path, register_converter

from threads.views import reading


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
    path(
        "stories/<uslug:slug>/chapters/<int:number>/",
        reading.chapter_detail,
        name="chapter_detail",
    ),
    path("characters/<uslug:slug>/", reading.character_detail, name="character_detail"),
    path("writers/<str:username>/", reading.writer_detail, name="writer_detail"),
]

# Accounts: sign up, log in, profile and preferences (added by the writing issue).

# Writing: stories, members, characters, chapters, scenes (added by the writing issue).

# Posting: turns, previews, edits, withdrawals, skips, dashboard (added by the writing issue).

# Moderation: reports from readers; decisions happen in the admin (added by the moderation issue).
