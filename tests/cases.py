"""Test case classes that more than one test module builds on."""

from dataclasses import fields

from django.test import TestCase

from tests.factories import make_cast, make_moderator


class CastTestCase(TestCase):
    """Mira (owner, Aleksei) and Teo (co-writer, Lucia) in a round-robin scene, made once
    for the whole class by make_cast: self.mira, self.teo, self.aleksei, self.lucia,
    self.story, self.chapter and self.scene. ``cast_options`` are make_cast's keywords."""

    cast_options = {}

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cast = make_cast(**cls.cast_options)
        for field in fields(cast):
            setattr(cls, field.name, getattr(cast, field.name))


class ModerationTestCase(TestCase):
    """Moss moderates; Mira writes Aleksei alone in a scene of her story. Made once for the
    whole class: self.moderator, self.writer, self.character, self.story, self.chapter and
    self.scene. ``cast_options`` are make_cast's keywords (titles, mostly)."""

    cast_options = {}

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.moderator = make_moderator("moss")
        cast = make_cast(solo=True, **cls.cast_options)
        cls.writer, cls.character = cast.mira, cast.aleksei
        cls.story, cls.chapter, cls.scene = cast.story, cast.chapter, cast.scene
