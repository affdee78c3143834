"""Share cards: the picture a link to the site shows on social networks and in chats.

Networks want a raster picture of about 1200 x 630 and most do not show SVG, which is
what the seeded illustrations are. So each technique and routine (and the site itself)
gets a card drawn with Pillow: the site's name, the title, the one-line summary and,
when the item's picture is a PNG, JPEG or WebP upload, that picture beside them.
Cards are drawn on request; the page cache keeps them like any page.
"""

import io
import logging

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
PICTURE_BOX = 420
# The site's light palette (static/css/site.css).
BACKGROUND, TEXT, MUTED, ACCENT, ACCENT_SOFT = "#fbfaf7", "#1f2933", "#52606d", "#0f766e", "#e6f4f1"


def _font(size):
    # Pillow's own scalable font: no font files needed on the server.
    return ImageFont.load_default(size)


def _fitting_prefix(text, font, width, end="", least=1):
    """How many leading characters of ``text``, followed by ``end``, fit in ``width`` (at least
    ``least``): a binary search, as a word thousands of characters long must not cost thousands
    of measurements."""
    low, high = least, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle] + end) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def wrap(text, font, width, max_lines):
    """Lines of ``text`` no wider than ``width``; past ``max_lines`` the last ends with "…".

    Stops measuring once it knows the text runs past ``max_lines``, however long the text."""
    lines, line = [], ""
    for word in text.split():
        if len(lines) > max_lines:
            break
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while len(lines) <= max_lines and font.getlength(line) > width:  # a word longer than a line: break it
            cut = _fitting_prefix(line, font, width)
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        last = last[: _fitting_prefix(last, font, width, end="…", least=0)]
        lines = [*lines[: max_lines - 1], last.rstrip(" ,.;:") + "…"]
    return lines


def _picture(item):
    """The item's uploaded raster picture as RGB, or None (vector, missing or unreadable)."""
    if item is None or not item.illustration or item.illustration_is_vector:
        return None
    try:
        with item.illustration.open("rb") as upload, Image.open(upload) as picture:
            picture.thumbnail((PICTURE_BOX, PICTURE_BOX))
            return picture.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        logger.warning("Share card for %s drawn without its picture: it could not be read.", item)
        return None


def draw_card(kind, title, summary, item=None):
    """PNG bytes of a 1200 x 630 card for ``title``; ``item`` may lend its picture."""
    card = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 18, HEIGHT), fill=ACCENT)
    picture = _picture(item)
    text_width = WIDTH - 2 * MARGIN - (PICTURE_BOX + MARGIN if picture else 0)
    if picture:
        left = WIDTH - MARGIN - PICTURE_BOX
        top = (HEIGHT - PICTURE_BOX) // 2
        draw.rounded_rectangle((left, top, left + PICTURE_BOX, top + PICTURE_BOX), radius=24, fill=ACCENT_SOFT)
        card.paste(picture, (left + (PICTURE_BOX - picture.width) // 2, top + (PICTURE_BOX - picture.height) // 2))

    y = MARGIN
    draw.text((MARGIN, y), settings.SITE_NAME, font=_font(30), fill=ACCENT)
    y += 80
    title_font = _font(66)
    for line in wrap(title, title_font, text_width, 3):
        # A thin outline in the text colour reads as bold: the built-in font has one weight.
        draw.text((MARGIN, y), line, font=title_font, fill=TEXT, stroke_width=1, stroke_fill=TEXT)
        y += 80
    y += 20
    summary_font = _font(34)
    for line in wrap(summary, summary_font, text_width, 4 if y < 330 else 2):
        draw.text((MARGIN, y), line, font=summary_font, fill=MUTED)
        y += 46
    draw.text((MARGIN, HEIGHT - MARGIN - 30), kind, font=_font(28), fill=ACCENT)

    out = io.BytesIO()
    card.save(out, "PNG", optimize=True)
    return out.getvalue()
