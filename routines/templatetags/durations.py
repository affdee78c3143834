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


@register.filter
def minutes(seconds):
    """Rounded to whole minutes for totals: 3590 -> '60 min', 20 -> '1 min'."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    return f"{max(1, round(seconds / 60))} min"


@register.filter
def iso_duration(seconds):
    """ISO 8601 duration for machines (<time datetime>): 330 -> 'PT5M30S'."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    minutes, rest = divmod(max(seconds, 0), 60)
    return f"PT{minutes}M{rest}S" if rest else f"PT{minutes}M"
