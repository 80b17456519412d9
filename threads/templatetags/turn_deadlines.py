"""Template filters for turn deadlines, so the scene page and the dashboard show the deadline
that threads.writing.deadlines enforces, computed by the same function."""

from django import template
from django.utils import timezone

from threads.writing import deadlines

register = template.Library()


@register.filter
def turn_deadline(state):
    """When the turn in this TurnState is skipped, or None."""
    return deadlines.turn_deadline(state)


@register.filter
def is_past(moment):
    """Whether a moment has come: a deadline already due waits only for the next run."""
    return moment <= timezone.now()
