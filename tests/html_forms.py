"""Reading forms off a rendered page, so a test submits what the page really offers."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """Every form on a page: its action, hidden inputs and the names of its textareas."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "hidden": {}, "textareas": []})
        elif self.forms and tag == "input" and attrs.get("type") == "hidden":
            self.forms[-1]["hidden"][attrs.get("name")] = attrs.get("value", "")
        elif self.forms and tag == "textarea":
            self.forms[-1]["textareas"].append(attrs.get("name"))


def form_posting_to(page, action):
    """The one form on ``page`` that posts to ``action``, as {"action", "hidden",
    "textareas"}; fails the test if there is not exactly one."""
    reader = _FormReader()
    reader.feed(page.content.decode())
    matching = [form for form in reader.forms if form["action"] == action]
    assert len(matching) == 1, f"expected one form posting to {action}, found {len(matching)}"
    return matching[0]
