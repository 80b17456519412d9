"""The words of the moderation e-mails come from Python (threads.moderation's notices): each
decision has its subject and headline there, and the templates only print them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from tests.factories import make_pending_post, make_post, make_user
from threads import moderation
from threads.models import Report, Scene

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"


@pytest.fixture
def scene(cast):
    # A title that looks like a format field and like markup: it must come out as written.
    Scene.objects.filter(pk=cast.scene.pk).update(title="The {story} <Ford>")
    return Scene.objects.get(pk=cast.scene.pk)


@pytest.fixture
def decide(django_capture_on_commit_callbacks):
    def decide(decision, *args):
        with django_capture_on_commit_callbacks(execute=True):
            decision(*args)
        return mail.outbox[-1]

    return decide


def html_of(message):
    return message.alternatives[0][0]


@pytest.mark.parametrize(
    ("decision", "action", "reason"),
    [
        (moderation.approve, "approve", None),
        (moderation.reject, "reject", "Tag it."),
        (moderation.hide, "hide", "Advertising."),
    ],
)
def test_each_post_decision_sends_its_own_subject_and_headline(
    cast, scene, moderator, decide, decision, action, reason
):
    post = make_pending_post(scene, cast.aleksei) if action != "hide" else make_post(scene)
    message = decide(decision, post, moderator, *([reason] if reason else []))
    notice = moderation.POST_NOTICES[action]
    names = {"number": post.number, "scene": scene.title, "story": cast.story.title}
    assert message.subject == notice.subject.format(**names)
    assert notice.headline.format(**names) in message.body
    assert "The {story} <Ford>" in message.subject
    assert "The {story} &lt;Ford&gt;" in html_of(message)


def test_an_edit_decision_names_the_edit(cast, moderator, decide):
    post = make_post(cast.scene, character=cast.aleksei)
    edit = post.revisions.create(number=2, body="New.", editor=cast.mira, status="pending")
    message = decide(moderation.reject_edit, edit, moderator, "Spoils the twist.")
    assert message.subject == f"Your edit in “{cast.scene.title}” was not approved"
    assert "The moderator's reason:\nSpoils the twist." in message.body


def test_an_account_decision_sends_its_own_subject_and_headline(cast, moderator, decide):
    message = decide(moderation.set_trusted, cast.mira, moderator, True)
    notice = moderation.ACCOUNT_NOTICES["trust"]
    assert message.subject == notice.subject
    assert notice.headline in message.body


def test_a_reporter_is_told_the_outcome_in_its_own_words(cast, scene, moderator, decide):
    post = make_post(scene, character=cast.aleksei)
    Report.objects.create(post=post, reporter=make_user("ana"), reason="spam")
    message = decide(moderation.resolve_reports, post, moderator, "dismiss")
    assert message.subject == "Your report on a post in “The {story} <Ford>”: no action taken"
    assert moderation.REPORT_NOTICES["dismissed"].headline in message.body


def test_every_writer_facing_action_has_its_words():
    post_actions = {"approve", "reject", "restore", "hide", "remove"}
    post_actions |= {"approve_edit", "reject_edit"}
    assert set(moderation.POST_NOTICES) == post_actions
    assert set(moderation.ACCOUNT_NOTICES) == {"trust", "untrust", "suspend", "unsuspend"}
    assert set(moderation.REPORT_NOTICES) == set(Report.Resolution.values) - {"open"}


@pytest.mark.parametrize("name", ["moderation_post", "moderation_account", "report_resolved"])
def test_the_templates_do_not_branch_on_codes(name):
    for suffix in ["_subject.txt", ".txt", ".html"]:
        text = (EMAILS / f"{name}{suffix}").read_text()
        assert "action ==" not in text
        assert "outcome ==" not in text
