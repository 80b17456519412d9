"""Stories, members, chapters, scenes, participants and characters in the admin.

Writers manage these on the site; the admin is for looking things up and fixing the odd
mistake. Cached counts and publication state are read-only here, because the site's own
code keeps them right (Chapter.set_published, threads.writing.structure, the turn engine).
"""

from django.contrib import admin

from threads.models import Chapter, Character, Membership, Participant, Scene, Story
from threads.writing import structure

from .common import admin_link


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "story"
    extra = 0
    fields = ["user", "role", "status", "invited_by", "created_at", "responded_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user", "invited_by"]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "rating",
        "status",
        "visibility",
        "language",
        "word_count",
        "updated_at",
    ]
    list_filter = ["visibility", "status", "rating", "language"]
    search_fields = ["title", "slug"]
    readonly_fields = ["word_count", "published_chapter_count", "created_at"]
    inlines = [MembershipInline]
    show_full_result_count = False
    ordering = ["-updated_at"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "story", "role", "status", "created_at", "responded_at"]
    list_filter = ["role", "status"]
    search_fields = ["user__username", "user__display_name", "story__title"]
    list_select_related = ["user", "story"]
    autocomplete_fields = ["story", "user", "invited_by"]
    show_full_result_count = False


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "story", "is_published", "word_count", "created_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "story__title"]
    list_select_related = ["story"]
    autocomplete_fields = ["story"]
    # Publishing moves words in and out of the story's count: writers do it on the site.
    readonly_fields = ["is_published", "published_at", "word_count", "created_at"]
    show_full_result_count = False

    # Deleting takes a published chapter's words and itself out of the story's counts.
    def delete_model(self, request, obj):
        structure.delete_chapter(obj)

    def delete_queryset(self, request, queryset):
        for chapter in queryset:
            structure.delete_chapter(chapter)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["position", "character"]
    autocomplete_fields = ["character"]


@admin.register(Scene)
class SceneAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "chapter_link",
        "position",
        "turn_mode",
        "is_open",
        "word_count",
        "last_post_at",
    ]
    list_filter = ["turn_mode", "is_open"]
    search_fields = ["title", "chapter__title", "chapter__story__title"]
    list_select_related = ["chapter__story"]
    autocomplete_fields = ["chapter"]
    readonly_fields = ["word_count", "last_post_at", "created_at"]
    inlines = [ParticipantInline]
    show_full_result_count = False

    @admin.display(description="chapter", ordering="chapter")
    def chapter_link(self, scene):
        return admin_link(scene.chapter)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["character", "scene", "position"]
    search_fields = ["character__name", "scene__title"]
    list_select_related = ["character", "scene"]
    autocomplete_fields = ["scene", "character"]
    show_full_result_count = False


@admin.register(Character)
class CharacterAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "pronouns", "tagline", "retired_at", "created_at"]
    list_filter = [("retired_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "owner__username"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["created_at"]
    show_full_result_count = False
