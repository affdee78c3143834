"""The routines' own checks before publishing (content/publish_checks.py): each step's time and side."""

import re

from content.publish_checks import WARNING, Finding

# Words that say which side a step is done on.
_SIDE = re.compile(r"\b(left|right|both|each|either|opposite|other side|one side)\b", re.IGNORECASE)


def step_findings(routine):
    """Warnings for steps without a time, and, in a routine done side by side, steps that name no side."""
    steps = list(routine.steps.all())
    sided = any(step.repeat_other_side for step in steps)
    found = []
    for number, step in enumerate(steps, start=1):
        if not step.duration_seconds:
            found.append(Finding(WARNING, f"Step {number} has no time: say how long it takes."))
        if sided and not step.repeat_other_side and not _SIDE.search(step.instruction):
            found.append(
                Finding(
                    WARNING,
                    f"Step {number} does not say which side: tick “repeat on the other side”, or say in its "
                    "instruction (left, right, both).",
                )
            )
    return found
