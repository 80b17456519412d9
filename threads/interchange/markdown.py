"""One Markdown file of a reader copy: front matter, chapters and scenes as headings, each
post credited to its character and writer. Posts keep the Markdown their writers typed."""

import json
import re

# Characters that would turn a name into Markdown markup.
_MARKUP = re.compile(r"([\\`*_{}\[\]<>#|!])")


def write_markdown(copy):
    """The Markdown file's text."""
    story = copy.story
    parts = [_front_matter(copy), f"# {_plain(story.title)}"]
    if story.summary.strip():
        parts.append(story.summary.strip())
    for chapter in copy.chapters:
        parts.append(f"## Chapter {chapter.number}: {_plain(chapter.title)}")
        if chapter.summary.strip():
            parts.append(chapter.summary.strip())
        for scene in chapter.reader_scenes:
            parts.extend(_scene(scene))
    return "\n\n".join(parts) + "\n"


def _front_matter(copy):
    """YAML front matter. Every value is written as JSON, which YAML reads as is, so no
    title or name can break out of its field."""
    story = copy.story
    fields = {
        "title": story.title,
        "writers": [user.name for user in copy.writers],
        "characters": [character.name for character in copy.characters],
        "rating": story.get_rating_display(),
        "warnings": story.get_warnings_display(),
        "tags": copy.tags,
        "status": story.get_status_display(),
        "language": story.language,
        "chapters": len(copy.chapters),
    }
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "\n".join(["---", *lines, "---"])


def _scene(scene):
    yield f"### {_plain(scene.title)}"
    if scene.setting:
        yield f"*{_plain(scene.setting)}*"
    for post in scene.reader_posts:
        body = post.body.strip()
        if post.is_ic:
            yield f"**{_plain(post.character.name)}** (written by {_plain(post.author.name)})"
            yield from [body] if body else []
        else:
            yield from [body] if body else []
            yield f"*Narration by {_plain(post.author.name)}*"


def _plain(text):
    """A title or name as literal text, not markup."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))
