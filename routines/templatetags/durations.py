"""Filters that show durations the way a reader says them."""

from django import template

register = template.Library()


@register.filter
def duration(seconds):
    """90 -> '1 min 30 s', 45 -> '45 s', 600 -> '10 min'."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    minutes, rest = divmod(max(seconds, 0), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def whole_minutes(seconds):
    """The one rounding rule for a routine's time: to the nearest minute, at least 1."""
    return max(1, round(int(seconds) / 60))


@register.filter
def minutes(seconds):
    """A routine's time in whole minutes: 3590 -> '60 min', 20 -> '1 min'."""
    try:
        return f"{whole_minutes(seconds)} min"
    except (TypeError, ValueError):
        return ""


@register.filter
def minutes_of(routines):
    """The time of several routines: the sum of the times shown for each, so a list always adds up."""
    return f"{sum(whole_minutes(routine.total_seconds) for routine in routines)} min"


@register.filter
def iso_minutes_of(routines):
    """minutes_of for machines (<time datetime>): 'PT61M'."""
    return f"PT{sum(whole_minutes(routine.total_seconds) for routine in routines)}M"


@register.filter
def iso_duration(seconds):
    """ISO 8601 duration for machines (<time datetime>): 330 -> 'PT5M30S'."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    minutes, rest = divmod(max(seconds, 0), 60)
    return f"PT{minutes}M{rest}S" if rest else f"PT{minutes}M"
