"""Guided mode markup: the server-rendered steps carry what the player needs, and readers
without JavaScript see only the ordered list."""

from html.parser import HTMLParser

from content.publishing import Status
from routines.models import Routine


class Elements(HTMLParser):
    """Every start tag in a page as (tag, attributes), in document order."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def by_id(self, element_id):
        return next(attrs for _tag, attrs in self.found if attrs.get("id") == element_id)

    def with_class(self, name):
        return [attrs for _tag, attrs in self.found if name in attrs.get("class", "").split()]


def test_start_button_and_player_are_hidden_until_the_script_runs(client, seeded):
    elements = Elements(client.get("/routines/legs/").content.decode())
    start = elements.by_id("guided-start")
    assert "hidden" in start and start["type"] == "button"
    assert "hidden" in elements.by_id("guided-player")
    assert elements.by_id("player-status")["aria-live"] == "polite"


def test_each_step_carries_its_duration_side_and_technique_for_the_player(client, seeded):
    routine = Routine.objects.get(slug="legs")
    steps = list(routine.steps.select_related("technique"))
    items = Elements(client.get("/routines/legs/").content.decode()).with_class("step")
    assert [item["id"] for item in items] == [f"step-{n}" for n in range(1, len(steps) + 1)]
    for item, step in zip(items, steps, strict=True):
        assert item["data-duration"] == str(step.duration_seconds)
        assert item["data-repeat"] == ("true" if step.repeat_other_side else "false")
        assert item["data-technique"] == step.technique.name


def test_player_counts_a_step_done_on_both_sides_as_two(client, make_technique, make_routine):
    make_routine(slug="sides", steps=[(make_technique(name="Kneading"), 30, True), (None, 45, False)])
    items = Elements(client.get("/routines/sides/").content.decode()).with_class("step")
    assert [(item["data-duration"], item["data-repeat"]) for item in items] == [("30", "true"), ("45", "false")]
    assert items[0]["data-technique"] == "Kneading"
    assert "data-technique" not in items[1]


def test_unpublished_technique_is_not_named_in_the_player(client, make_technique, make_routine):
    draft = make_technique(name="Secret stroke", status=Status.DRAFT)
    make_routine(slug="with-draft", steps=[(draft, 60, False)])
    html = client.get("/routines/with-draft/").content.decode()
    assert "data-technique" not in html and "Secret stroke" not in html


def test_progress_runs_over_the_whole_routine_both_sides_included(client, seeded):
    response = client.get("/routines/legs/")
    progress = Elements(response.content.decode()).by_id("player-progress")
    assert progress["max"] == str(response.context["routine"].total_seconds)


def test_routine_page_loads_the_guided_script_and_styles_in_the_head(client, seeded):
    html = client.get("/routines/legs/").content.decode()
    head = html[: html.index("</head>")]
    assert '<script src="/static/js/guided.js" defer></script>' in head
    assert '<link rel="stylesheet" href="/static/css/guided.css">' in head
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in head


def test_other_pages_do_not_load_guided_mode(client, seeded):
    html = client.get("/routines/").content.decode()
    assert "guided.js" not in html and "guided.css" not in html


def test_routine_without_steps_offers_no_guided_mode(client, make_routine):
    make_routine(slug="empty")
    html = client.get("/routines/empty/").content.decode()
    assert 'id="guided-start"' not in html and 'id="guided-player"' not in html


def test_routine_page_needs_no_inline_script_style_or_handlers(client, seeded):
    html = client.get("/routines/legs/").content.decode()
    elements = Elements(html)
    scripts = [attrs for tag, attrs in elements.found if tag == "script"]
    # JSON-LD is a data block for search engines, never run, so a strict CSP allows it.
    assert all("src" in attrs or attrs.get("type") == "application/ld+json" for attrs in scripts)
    assert "<style" not in html
    article = Elements(html[html.index('<article class="routine">') : html.index("</article>")])
    for _tag, attrs in article.found:
        assert "style" not in attrs
        assert not [name for name in attrs if name.startswith("on")]
