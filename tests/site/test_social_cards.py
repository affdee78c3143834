"""Links shared on social networks and in chats show a PNG card (most networks do not show SVG)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFont

from content.publishing import Status
from massage_site import views
from massage_site.social_cards import HEIGHT, WIDTH, draw_card, wrap
from routines.models import Routine


def og_image(html):
    return re.search(r'<meta property="og:image" content="http://testserver([^"]+)">', html).group(1)


def card(response):
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


@pytest.mark.parametrize("url", ["/", "/techniques/kneading/", "/routines/legs/", "/techniques/", "/search/?q=knead"])
def test_every_page_shares_a_png_card_of_the_usual_size(client, seeded, url):
    html = client.get(url).content.decode()
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    picture = card(client.get(og_image(html)))
    assert picture.size == (WIDTH, HEIGHT) == (1200, 630)


def test_a_routine_card_is_its_own(client, seeded):
    legs = client.get(og_image(client.get("/routines/legs/").content.decode())).content
    feet = client.get(og_image(client.get("/routines/feet/").content.decode())).content
    assert legs != feet


def test_drafts_have_no_card(client, make_technique):
    make_technique(name="Wringing", slug="wringing", status=Status.DRAFT)
    assert client.get("/techniques/wringing/card.png").status_code == 404
    assert client.get("/routines/no-such-routine/card.png").status_code == 404


def test_an_uploaded_photo_appears_on_its_card(client, make_technique):
    red = (200, 30, 30)
    buffer = io.BytesIO()
    Image.new("RGB", (600, 600), red).save(buffer, "PNG")
    make_technique(name="Palm press", slug="palm-press")
    pictured = make_technique(name="Thumb press", slug="thumb-press")
    pictured.illustration = SimpleUploadedFile("thumb.png", buffer.getvalue(), content_type="image/png")
    pictured.illustration_alt = "A thumb pressing the calf."
    pictured.save()
    right_side = (WIDTH - 280, HEIGHT // 2)
    assert card(client.get("/techniques/thumb-press/card.png")).convert("RGB").getpixel(right_side) == red
    assert card(client.get("/techniques/palm-press/card.png")).convert("RGB").getpixel(right_side) != red


def test_long_titles_wrap_and_end_with_an_ellipsis_within_the_card():
    font = ImageFont.load_default(66)
    lines = wrap("Kneading " * 30 + "Supercalifragilisticexpialidociousnessly" * 3, font, 600, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 600 for line in lines)
    png = draw_card("Massage technique", "W" * 400, "x" * 2000)
    assert Image.open(io.BytesIO(png)).size == (WIDTH, HEIGHT)


def test_a_routine_card_is_drawn_in_one_query(client, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the routine with its counts, and the page cache's schedule
        card(client.get("/routines/legs/card.png"))


def test_a_routine_card_says_how_many_steps_and_minutes_as_the_page_does(client, seeded, monkeypatch):
    drawn = []
    real = views.draw_card
    monkeypatch.setattr(views, "draw_card", lambda *args: drawn.append(args) or real(*args))
    card(client.get("/routines/legs/card.png"))
    kind, title, _summary, _item = drawn[0]
    legs = Routine.objects.get(slug="legs")
    assert title == "Legs" and f"· {legs.steps.count()} steps ·" in kind
    total = kind.rsplit("· ", 1)[1]
    assert total in client.get("/routines/legs/").content.decode()
