"""Nothing a user wrote reaches a page unescaped, except through the sanitizer.

Markdown is rendered and cleaned once, at save time, into ``*_html`` fields
(threads/lib/markup.py); the preview is rendered the same way. Those, and only those, may be
printed with ``|safe`` or inside ``{% autoescape off %}``. In Python, ``mark_safe`` is allowed
only where the text is known not to come from a user (listed below), and ``format_html``
only with a literal format string, so user text is always one of its escaped arguments.
These tests read the source rather than render pages, so a new template or module is
covered the day it is added."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
THREADS = ROOT / "threads"

# What may be marked safe without escaping: a stored, sanitized *_html field or the preview.
SANITIZED = re.compile(r"(?:[\w.]+\.)?\w+_html|preview")
# file:function -> why what it marks safe is not user text.
MARK_SAFE_ALLOWED = {
    "threads/interchange/html.py:_styles": "the site's own style sheets",
    "threads/views/reader_posts.py:_body": "a post's body_html, sanitized when saved",
    "threads/views/story_cards.py:_summary": "a story's summary_html, sanitized when saved",
}

VARIABLE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
AUTOESCAPE_OFF = re.compile(
    r"\{%\s*autoescape\s+off\s*%\}(.*?)\{%\s*endautoescape\s*%\}", re.DOTALL
)
FILTER_TAG = re.compile(r"\{%\s*filter\s+([^%]*)%\}")


def template_problems(name, text):
    """What in one template's source prints something other than sanitized HTML raw."""
    problems = []
    for expression in VARIABLE.findall(text):
        base, *filters = [part.strip() for part in expression.split("|")]
        names = {f.split(":", 1)[0].strip() for f in filters}
        if names & {"safe", "safeseq"} and not SANITIZED.fullmatch(base):
            problems.append(f"{name}: {{{{{expression.strip()}}}}} marks {base} safe")
    for filters in FILTER_TAG.findall(text):
        if {"safe", "safeseq"} & {f.split(":", 1)[0].strip() for f in filters.split("|")}:
            problems.append(f"{name}: {{% filter {filters.strip()} %}}")
    # Plain-text e-mails are not HTML: escaping would only garble them ("&amp;").
    if not name.endswith(".txt"):
        for block in AUTOESCAPE_OFF.findall(text):
            for expression in VARIABLE.findall(block):
                base = expression.split("|")[0].strip()
                if not SANITIZED.fullmatch(base):
                    problems.append(f"{name}: {base} printed with autoescape off")
    return problems


def python_problems(path, source):
    """mark_safe outside the allowed places; format_html with a format string that is not a
    literal (user text in it would become markup)."""
    problems = []
    for function, call in _calls(ast.parse(source)):
        name = _called_name(call)
        where = f"{path}:{function}"
        if name in ("mark_safe", "SafeString") and where not in MARK_SAFE_ALLOWED:
            problems.append(f"{where} calls {name}")
        position = {"format_html": 0, "format_html_join": 1}.get(name)
        if position is not None and not _is_literal(call, position):
            problems.append(f"{where} calls {name} with a format string that is not a literal")
    return problems


def _calls(tree, function="<module>"):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _calls(node, node.name)
            continue
        if isinstance(node, ast.Call):
            yield function, node
        yield from _calls(node, function)


def _called_name(call):
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _is_literal(call, position):
    if len(call.args) <= position:
        return False
    argument = call.args[position]
    return isinstance(argument, ast.Constant) and isinstance(argument.value, str)


def test_templates_mark_only_sanitized_html_safe():
    problems = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".txt"):
            problems += template_problems(str(path.relative_to(ROOT)), path.read_text())
    assert problems == []


def test_python_marks_nothing_safe_outside_the_allowed_places():
    problems = []
    for path in sorted(THREADS.rglob("*.py")):
        problems += python_problems(str(path.relative_to(ROOT)), path.read_text())
    assert problems == []


def test_the_scan_reads_every_template_and_module():
    # A scan that finds no files passes everything: make sure it finds the usual ones.
    assert (TEMPLATES / "threads" / "_post.html").is_file()
    assert (THREADS / "lib" / "markup.py").is_file()


@pytest.mark.parametrize(
    "source",
    [
        "{{ post.character.name|safe }}",
        "{{ post.moderation_reason|safe }}",
        "{{ post.body|linebreaks|safe }}",
        "{{ names|safeseq|join:', ' }}",
        "{% filter safe %}{{ post.body }}{% endfilter %}",
        "{% autoescape off %}{{ post.body }}{% endautoescape %}",
        "{% autoescape off %}\n<p>{{ story.title }}</p>\n{% endautoescape %}",
    ],
)
def test_a_user_field_marked_safe_in_a_template_is_caught(source):
    assert template_problems("example.html", source)


@pytest.mark.parametrize(
    "source",
    [
        "{{ post.body_html|safe }}",
        "{{ story.summary_html|safe }}",
        "{{ preview|safe }}",
        "{% autoescape off %}{{ chapter.summary_html }}{% endautoescape %}",
        "{{ post.character.name }}",
    ],
)
def test_sanitized_html_and_escaped_text_pass(source):
    assert template_problems("example.html", source) == []


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.safestring import mark_safe\n"
        "def badge(user):\n    return mark_safe(f'<b>{user.name}</b>')\n",
        "from django.utils.html import format_html\n"
        "def badge(user):\n    return format_html(f'<b>{user.name}</b>')\n",
        "from django.utils.html import format_html_join\n"
        "def items(rows, template):\n    return format_html_join('', template, rows)\n",
    ],
)
def test_user_text_marked_safe_in_python_is_caught(source):
    assert python_problems("threads/example.py", source)


def test_format_html_with_a_literal_passes():
    source = (
        "from django.utils.html import format_html\n"
        "def badge(user):\n    return format_html('<b>{}</b>', user.name)\n"
    )
    assert python_problems("threads/example.py", source) == []
