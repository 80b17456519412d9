"""A told story for the export tests: readable text beside every kind of text readers must
never get, each hidden text carrying a marker word the tests look for in the exports."""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image

from tests.factories import make_cast, make_chapter, make_post, make_scene

# Each hidden kind of text, with the word that marks it.
HIDDEN = {
    "ooc": "OOCMARKER",
    "pending": "PENDINGMARKER",
    "rejected": "REJECTEDMARKER",
    "withdrawn": "WITHDRAWNMARKER",
    "removed": "REMOVEDMARKER",
    "approved past the frontier": "BEYONDMARKER",
    "unpublished chapter": "UNPUBLISHEDMARKER",
}
SHOWN = "Lanterns swayed over the ford; Лукия — «тихо» — waited."


@dataclass
class ToldStory:
    cast: object
    story: object


def png_bytes(colour=(200, 80, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_told_story(**scene_fields):
    cast = make_cast(story_title="The Lantern Road", scene_title="At the ford", **scene_fields)
    story, scene = cast.story, cast.scene
    story.summary = "Two travellers & a *river*."
    story.tags.add("travel", "river")
    story.warnings = ["violence"]
    story.save()
    cast.aleksei.portrait_thumb.save("a.png", ContentFile(png_bytes()), save=True)
    make_post(scene, character=cast.aleksei, body=SHOWN)
    make_post(scene, author=cast.mira, body="The river ran *cold*.")
    make_post(scene, character=cast.lucia, body="<script>alert(1)</script> Lucia <b>waved</b>.")
    make_post(scene, author=cast.teo, kind="ooc", body=f"{HIDDEN['ooc']} brb")
    make_post(
        scene,
        character=cast.aleksei,
        status="rejected",
        body=HIDDEN["rejected"],
        moderation_reason="Too short for a turn.",
    )
    make_post(scene, character=cast.aleksei, status="withdrawn", body=HIDDEN["withdrawn"])
    make_post(scene, character=cast.lucia, status="removed", body=HIDDEN["removed"])
    make_post(scene, character=cast.lucia, status="pending", body=HIDDEN["pending"])
    # Approved, but answering a turn readers cannot see yet: behind the reading frontier.
    make_post(scene, character=cast.aleksei, body=HIDDEN["approved past the frontier"])
    second = make_chapter(story, title="Across")
    make_post(make_scene(second, characters=[cast.lucia]), character=cast.lucia, body="Across.")
    hidden = make_chapter(story, title="Secret", is_published=False)
    hidden_scene = make_scene(hidden, characters=[cast.aleksei])
    make_post(hidden_scene, character=cast.aleksei, body=HIDDEN["unpublished chapter"])
    story.refresh_from_db()
    return ToldStory(cast, story)
