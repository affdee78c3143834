"""Guided mode in a real browser: the player runs through every step to the end, answers the
keyboard, fits a phone screen, and without JavaScript the page stays a plain list of steps."""

import pytest
from playwright.sync_api import expect

from routines.models import Routine

pytestmark = pytest.mark.browser


def player_steps(slug):
    """Steps as the player counts them: a step done on both sides counts twice."""
    return sum(2 if step.repeat_other_side else 1 for step in Routine.objects.get(slug=slug).steps.all())


def routine_seconds(slug):
    return sum(step.total_seconds for step in Routine.objects.get(slug=slug).steps.all())


def test_guided_mode_runs_through_every_step_to_the_finish(page, live_server, seeded):
    total = player_steps("legs")
    page.goto(f"{live_server.url}/routines/legs/?speed=120")  # the whole routine in about six seconds
    # Record every "Step n of N" the player shows, however briefly.
    page.evaluate(
        """() => {
          const count = document.getElementById("player-count");
          window.seen = [];
          new MutationObserver(() => window.seen.push(count.textContent)).observe(count, {childList: true});
        }"""
    )
    page.get_by_role("button", name="Start guided mode").click()
    expect(page.locator("#guided-player")).to_be_visible()
    expect(page.locator(".steps")).to_be_hidden()

    expect(page.get_by_role("heading", name="Well done — routine finished")).to_be_visible(timeout=20_000)
    seen = page.evaluate("window.seen")
    shown = [text for n, text in enumerate(seen) if n == 0 or text != seen[n - 1]]
    assert shown == [f"Step {n} of {total}" for n in range(1, total + 1)] + ["Finished"]
    seconds = routine_seconds("legs")
    assert page.evaluate("(p => [p.value, p.max])(document.getElementById('player-progress'))") == [seconds, seconds]
    expect(page.locator("#player-status")).to_have_text("Routine finished.")
    expect(page.get_by_role("button", name="Start again")).to_be_focused()

    page.get_by_role("button", name="Start again").click()
    expect(page.locator("#player-count")).to_contain_text(f"of {total}")
    expect(page.get_by_role("heading", name="Well done — routine finished")).to_be_hidden()


def test_keyboard_pauses_steps_back_and_forth_and_exits(page, live_server, seeded):
    total = player_steps("legs")
    page.goto(f"{live_server.url}/routines/legs/")
    start = page.get_by_role("button", name="Start guided mode")
    start.focus()
    page.keyboard.press("Enter")
    count, clock, status = page.locator("#player-count"), page.locator("#player-clock"), page.locator("#player-status")
    expect(count).to_have_text(f"Step 1 of {total}")
    expect(status).to_have_text(f"Step 1 of {total}: Strokes up the leg from the foot (first side). 1 minute.")
    expect(page.get_by_role("button", name="Pause")).to_be_focused()

    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    expect(status).to_have_text("Paused.")
    paused_at = clock.inner_text()
    page.wait_for_timeout(1200)
    assert clock.inner_text() == paused_at

    page.keyboard.press("Space")
    expect(status).to_have_text("Resumed.")
    expect(clock).not_to_have_text(paused_at, timeout=3000)

    page.keyboard.press("ArrowRight")
    expect(count).to_have_text(f"Step 2 of {total}")
    expect(status).to_have_text(
        f"Now the other side. Step 2 of {total}: Strokes up the leg from the foot (other side). 1 minute."
    )
    expect(clock).to_have_text("1:00")
    page.keyboard.press("l")
    expect(status).to_contain_text("Knead the thigh (first side). 1 minute 30 seconds.")
    page.keyboard.press("j")
    page.keyboard.press("ArrowLeft")
    expect(count).to_have_text(f"Step 1 of {total}")
    expect(status).to_contain_text("Strokes up the leg from the foot (first side)")

    page.keyboard.press("Escape")
    expect(page.locator("#guided-player")).to_be_hidden()
    expect(page.locator(".steps")).to_be_visible()
    expect(start).to_be_focused()


def test_guided_player_fits_a_phone_screen_at_every_step(phone_page, live_server, seeded):
    phone_page.goto(f"{live_server.url}/routines/legs/")
    phone_page.get_by_role("button", name="Start guided mode").tap()
    phone_page.get_by_role("button", name="Pause").tap()
    next_button = phone_page.get_by_role("button", name="Next")
    for _ in range(player_steps("legs")):
        assert phone_page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), (
            phone_page.locator("#player-count").inner_text()
        )
        for name in ["Back", "Resume", "Next", "Exit"]:
            box = phone_page.get_by_role("button", name=name).bounding_box()
            assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360
        next_button.tap()
    expect(phone_page.get_by_role("heading", name="Well done — routine finished")).to_be_visible()


def test_without_javascript_the_page_is_the_plain_list_of_steps(browser, live_server, seeded):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/routines/legs/")
    expect(page.locator(".steps > li")).to_have_count(Routine.objects.get(slug="legs").steps.count())
    expect(page.locator(".steps")).to_be_visible()
    expect(page.locator("#guided-start")).to_be_hidden()
    expect(page.locator("#guided-player")).to_be_hidden()
    context.close()


def test_every_guided_step_shows_its_title_and_its_own_picture(page, live_server, seeded):
    from routines.models import Routine

    routine = Routine.objects.get(slug="stomach")
    page.goto(f"{live_server.url}/routines/stomach/")
    page.get_by_role("button", name="Start guided mode").click()
    for step in routine.steps.order_by("order"):
        expect(page.locator("#player-title")).to_have_text(step.heading)
        src = page.locator("#player-picture img").get_attribute("src")
        assert src == step.picture.illustration.url
        page.get_by_role("button", name="Next").click()


def test_a_two_sided_step_runs_as_two_halves_with_a_cue_at_the_switch(page, live_server, seeded):
    """Shoulders: one step on both sides. The switch shows and announces "Now the other side",
    buzzes twice (and sounds twice) when those cues are on, and progress counts each half."""
    page.add_init_script("navigator.vibrate = (pattern) => { (window.buzzes ||= []).push(pattern); return true; }")
    page.goto(f"{live_server.url}/routines/shoulders/?speed=60")  # each 150 s half in 2.5 seconds
    page.get_by_role("button", name="Start guided mode").click()
    page.get_by_role("button", name="Pause").click()
    page.get_by_label("Vibrate").check()
    switch, count = page.locator("#player-switch"), page.locator("#player-count")
    expect(count).to_have_text("Step 1 of 2")
    expect(switch).to_be_hidden()
    page.evaluate("window.buzzes = []")
    page.get_by_role("button", name="Resume").click()
    expect(switch).to_have_text("Now the other side")
    expect(switch).to_be_visible()
    expect(count).to_have_text("Step 2 of 2")
    expect(page.locator("#player-status")).to_contain_text("Now the other side. Step 2 of 2:")
    assert page.evaluate("window.buzzes")[0] == [200, 150, 200]  # two buzzes: the other side
    assert page.evaluate("document.getElementById('player-progress').value") >= 150
    expect(page.get_by_role("heading", name="Well done — routine finished")).to_be_visible(timeout=10_000)
    assert page.evaluate("window.buzzes").count(200) == 1  # one at the finish


def test_a_steps_caution_pressure_and_needs_show_when_guided_mode_reaches_it(page, live_server, seeded):
    page.goto(f"{live_server.url}/routines/neck/")
    expect(page.locator("#step-3 .step-caution")).to_contain_text("very close to the spine")
    expect(page.locator("#step-3 .step-meta")).to_contain_text("Pressure: light")
    page.get_by_role("button", name="Start guided mode").click()
    page.get_by_role("button", name="Pause").click()
    caution, meta = page.locator("#player-caution"), page.locator("#player-meta")
    expect(meta).to_have_text("Pressure: firm")
    expect(caution).to_be_hidden()
    page.get_by_role("button", name="Next").click()
    expect(meta).to_be_hidden()
    page.get_by_role("button", name="Next").click()
    expect(caution).to_be_visible()
    expect(caution).to_have_text(
        "Take care: Use only light pressure for the squeeze: it works very close to the spine."
    )
    expect(meta).to_have_text("Pressure: light")
    expect(page.locator("#player-status")).to_have_text(
        "Step 3 of 3: A gentle squeeze up the neck. 1 minute 30 seconds. "
        "Take care: Use only light pressure for the squeeze: it works very close to the spine."
    )
    page.goto(f"{live_server.url}/routines/legs/")
    page.get_by_role("button", name="Start guided mode").click()
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#player-meta")).to_have_text("You need: your hands, or a massage tool")


def test_print_shows_each_steps_caution_and_details(page, live_server, seeded):
    page.goto(f"{live_server.url}/routines/neck/")
    page.emulate_media(media="print")
    expect(page.locator("#step-3 .step-caution")).to_be_visible()
    expect(page.locator("#step-3 .step-pressure")).to_be_visible()


# Headless Chromium has no voices: a stand-in records what guided mode asks it to say.
FAKE_VOICE = """
  window.said = []; window.voiceCalls = [];
  const voiced = %s;
  const fake = new EventTarget();
  fake.getVoices = () => voiced ? [{name: "Test voice", lang: "en-GB"}] : [];
  fake.speak = (u) => window.said.push([u.text, u.rate]);
  for (const name of ["cancel", "pause", "resume"]) fake[name] = () => window.voiceCalls.push(name);
  Object.defineProperty(window, "speechSynthesis", {value: fake, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


def test_guided_mode_reads_the_steps_aloud_when_asked(page, live_server, seeded):
    page.add_init_script(FAKE_VOICE % "true")
    page.goto(f"{live_server.url}/routines/neck/?speed=60")  # 2 min steps in 2 seconds
    speak = page.get_by_label("Read the steps aloud")
    expect(speak).not_to_be_checked()  # off by default
    page.get_by_role("button", name="Start guided mode").click()
    assert page.evaluate("window.said") == []
    page.get_by_role("button", name="Pause").click()
    speak.check()
    page.get_by_label("Reading speed").select_option("faster")
    page.get_by_role("button", name="Next").click()
    text, rate = page.evaluate("window.said")[-1]
    assert text.startswith("Finger circles along the base of the skull. Keeping your head relaxed forwards")
    assert rate == 1.25
    page.get_by_role("button", name="Resume").click()
    assert page.evaluate("window.voiceCalls").count("resume") >= 1
    expect(page.get_by_role("heading", name="Well done — routine finished")).to_be_visible(timeout=10_000)
    said = [text for text, _rate in page.evaluate("window.said")]
    assert "Next: A gentle squeeze up the neck." in said
    squeeze = next(text for text in said if text.startswith("A gentle squeeze"))
    assert squeeze.endswith("Take care: Use only light pressure for the squeeze: it works very close to the spine.")
    assert said[-1] == "Finished."

    # Remembered: the next visit reads aloud at the chosen speed; pausing pauses the voice.
    page.goto(f"{live_server.url}/routines/shoulders/")
    expect(page.get_by_label("Read the steps aloud")).to_be_checked()
    expect(page.get_by_label("Reading speed")).to_have_value("1.25")
    page.get_by_role("button", name="Start guided mode").click()
    page.get_by_role("button", name="Pause").click()
    assert "pause" in page.evaluate("window.voiceCalls")
    page.get_by_role("button", name="Next").click()
    assert page.evaluate("window.said")[-1] == ["Now the other side.", 1.25]


def test_without_voices_reading_aloud_says_so_and_stays_off(page, live_server, seeded):
    page.add_init_script(FAKE_VOICE % "false")
    page.add_init_script("localStorage.setItem('guided-speak', '1')")
    page.goto(f"{live_server.url}/routines/neck/")
    page.get_by_role("button", name="Start guided mode").click()
    speak = page.get_by_label("Read the steps aloud")
    expect(speak).to_be_disabled()
    expect(speak).not_to_be_checked()
    expect(page.locator("#player-mute")).to_have_text("This browser has no voice to read aloud with.")
    page.get_by_role("button", name="Next").click()
    assert page.evaluate("window.said") == []
