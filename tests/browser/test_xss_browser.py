"""A corpus of XSS payloads (tests/site/xss_payloads.txt), saved in every text field of
techniques, routines, steps, tags and site pages, never runs in Chromium: not on the public
pages, not in guided mode, not in the editors' admin.

Each page is opened twice: under the site's real Content-Security-Policy, and with CSP
bypassed, so escaping and the HTML sanitiser are shown to hold on their own. A payload
that ran would open a dialog, call print(), set window.__xss, fetch an address with
"/xss-" in it, or (under CSP) be reported as a blocked inline script; any element or
attribute a payload could have smuggled into the page (on* handlers, javascript: URLs,
iframes, inline scripts and styles, ...) fails the test too, run or not.
"""

import re
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from taggit.models import Tag

from content.publishing import Status
from massage_site.models import Page
from routines.models import Benefit, Equipment, Position, Routine, Step
from techniques.models import Technique

pytestmark = pytest.mark.browser

PAYLOADS = (Path(__file__).parents[1] / "site" / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
ALL = "\n\n".join(PAYLOADS)
PASSWORD = "a-long-test-password"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360"><rect width="480" height="360"/></svg>'

# Runs in every frame before the page's own scripts; counts anything a payload could do.
WATCH = """
window.__xssEvents = [];
window.print = () => window.__xssEvents.push("print()");
document.addEventListener("securitypolicyviolation", (event) => {
  window.__xssEvents.push(`CSP blocked ${event.violatedDirective}: ${event.blockedURI} ${event.sample || ""}`);
});
"""

# Anything in the page a payload could have smuggled in, whether or not it ran.
SMUGGLED = """
(styles) => {
  const found = [];
  const risky = /^(javascript|vbscript|data:text\\/html)/i;
  const urls = ["href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "srcdoc"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    const banned = ["iframe", "frame", "object", "embed", "base", "style", "applet", "isindex"];
    if (banned.includes(tag)) found.push(`<${tag}>`);
    if (tag === "meta" && el.hasAttribute("http-equiv")) found.push("<meta http-equiv>");
    if (tag === "script" && !(el.src ? new URL(el.src).origin === location.origin : el.type === "application/ld+json"))
      found.push(`<script> ${el.outerHTML.slice(0, 80)}`);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = attr.value.replace(/[\\u0000-\\u0020]/g, "");
      if (name.startsWith("on") || (styles && name === "style") || name === "formaction" || name === "srcdoc")
        found.push(`${tag}[${name}]`);
      else if (urls.includes(name) && risky.test(value)) found.push(`${tag}[${name}=${attr.value.slice(0, 40)}]`);
    }
  }
  if (window.__xss !== undefined) found.push(`window.__xss = ${window.__xss}`);
  return found.concat(window.__xssEvents || ["(watch script missing)"]);
}
"""


@pytest.fixture
def hostile_site(transactional_db, settings):
    """Every text field of techniques, routines, steps and pages filled with the payloads."""
    for folder in ("techniques", "routines"):
        (settings.MEDIA_ROOT / folder).mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / folder / "hostile.svg").write_bytes(SVG)
    live = {"status": Status.PUBLISHED, "publish_at": timezone.now() - timezone.timedelta(minutes=5)}

    # A plain-named term whose aliases are words inside the payloads, so that glossary links
    # (and their previews, which show this hostile definition) are woven through the hostile text.
    Technique.objects.create(
        name="Hostile term",
        slug="hostile-term",
        family="pressing",
        definition=" ".join(PAYLOADS[:6]),
        how_to=ALL,
        aliases="script, alert, onerror, svg",
        **live,
    )
    for i, payload in enumerate(PAYLOADS):
        technique = Technique.objects.create(
            name=payload,
            slug=f"hostile-{i}",
            family="stroking",
            definition=payload,
            how_to=payload,
            aliases=payload,
            illustration="techniques/hostile.svg",
            illustration_alt=payload,
            **live,
        )
        routine = Routine.objects.create(
            title=payload,
            slug=f"hostile-{i}",
            body_area="back",
            position=payload,
            summary=payload,
            intro=payload,
            cautions=payload,
            illustration="routines/hostile.svg",
            illustration_alt=payload,
            **live,
        )
        Step.objects.create(routine=routine, order=1, technique=technique, instruction=payload, duration_seconds=30)

    everything = Routine.objects.create(
        title="Every hostile payload",
        slug="hostile-all",
        body_area="neck",
        position=PAYLOADS[1],
        summary=PAYLOADS[0],
        intro=ALL,
        cautions=ALL,
        illustration="routines/hostile.svg",
        illustration_alt=PAYLOADS[57],
        **live,
    )
    for i, payload in enumerate(PAYLOADS):
        Step.objects.create(
            routine=everything,
            order=i + 1,
            technique=Technique.objects.get(slug=f"hostile-{i}"),
            instruction=f"{payload}\n\n{payload}",
            duration_seconds=30,
            repeat_other_side=i % 10 == 0,
        )
    # Tags are typed by editors too: what a routine is good for, positions, equipment; technique tags.
    everything.benefits.add(*PAYLOADS[:10])
    everything.positions.add(*PAYLOADS[10:20])
    everything.equipment.add(*PAYLOADS[20:30])
    Technique.objects.get(slug="hostile-term").tags.add(*PAYLOADS[30:40])
    Page.objects.create(slug="hostile-all", title=PAYLOADS[7], body=ALL)
    Page.objects.create(slug="home", title=PAYLOADS[8], body=ALL)
    return everything


def watched_page(browser, bypass_csp):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=bypass_csp)
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(15_000)
    fired = []
    page.on("dialog", lambda dialog: (fired.append(f"{dialog.type}({dialog.message})"), dialog.dismiss()))
    page.on("request", lambda request: "/xss-" in request.url.lower() and fired.append(f"request {request.url}"))
    return context, page, fired


def smuggled(page, fired, styles=True):
    """What a payload left in the page or did. styles=False: the admin's scripts set styles themselves."""
    problems = page.evaluate(SMUGGLED, styles) + fired
    fired.clear()
    return problems


def visit(page, fired, url, styles=True):
    """Problems found on one page, as readable lines (empty when it is clean)."""
    response = page.goto(url)
    problems = ([] if response.ok else [f"HTTP {response.status}"]) + smuggled(page, fired, styles)
    return [f"{url}: {problem}" for problem in problems]


def public_urls(every_item=True):
    """The pages readers see; every_item adds each hostile technique's, routine's and tag's own page."""
    benefit = Benefit.objects.get(name=PAYLOADS[0]).slug
    urls = [
        f"/routines/?benefit={benefit}",
        f"/tags/{benefit}/",
        f"/tags/{Tag.objects.get(name=PAYLOADS[30]).slug}/",
        "/",
        "/techniques/",
        "/routines/",
        "/search/?q=alert",
        "/search/?q=script+onerror",
        "/search/?q=hostile",
        "/plan/?r=hostile-all&r=hostile-1",
        "/techniques/hostile-term/",
        "/routines/hostile-all/",
        "/pages/hostile-all/",
    ]
    if every_item:
        for i in range(len(PAYLOADS)):
            urls += [f"/techniques/hostile-{i}/", f"/routines/hostile-{i}/"]
        for vocabulary in (Tag, Benefit, Position, Equipment):
            urls += [f"/tags/{slug}/" for slug in vocabulary.objects.values_list("slug", flat=True)]
    return urls


def assert_stored_as_typed():
    for i, payload in enumerate(PAYLOADS):
        technique = Technique.objects.get(slug=f"hostile-{i}")
        assert [technique.name, technique.definition, technique.how_to, technique.aliases] == [payload] * 4
        assert technique.illustration_alt == payload
        routine = Routine.objects.get(slug=f"hostile-{i}")
        fields = [routine.title, routine.position, routine.summary, routine.intro, routine.cautions]
        assert fields + [routine.illustration_alt, routine.steps.get().instruction] == [payload] * 7
    everything = Routine.objects.get(slug="hostile-all")
    assert everything.intro == everything.cautions == ALL
    assert [step.instruction for step in everything.steps.all()] == [f"{p}\n\n{p}" for p in PAYLOADS]
    assert sorted(everything.benefits.names()) == sorted(PAYLOADS[:10])
    assert sorted(everything.positions.names()) == sorted(PAYLOADS[10:20])
    assert sorted(everything.equipment.names()) == sorted(PAYLOADS[20:30])
    assert sorted(Technique.objects.get(slug="hostile-term").tags.names()) == sorted(PAYLOADS[30:40])
    for slug, title in (("home", PAYLOADS[8]), ("hostile-all", PAYLOADS[7])):
        page = Page.objects.get(slug=slug)
        assert (page.title, page.body) == (title, ALL)


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["under CSP", "CSP bypassed"])
def test_no_payload_runs_on_any_public_page(browser, live_server, hostile_site, bypass_csp):
    """With CSP bypassed, every hostile item's own page too: escaping and nh3 alone must hold."""
    context, page, fired = watched_page(browser, bypass_csp)
    try:
        problems = []
        for url in public_urls(every_item=bypass_csp):
            problems += visit(page, fired, f"{live_server.url}{url}")
        # The hostile text is on the pages as text, as typed.
        page.goto(f"{live_server.url}/pages/hostile-all/")
        assert page.inner_text("h1") == PAYLOADS[7]
        assert page.locator("article script").count() == 0  # the body is HTML: nh3 removed the scripts
        page.goto(f"{live_server.url}/techniques/hostile-9/")
        assert page.inner_text("h1") == PAYLOADS[9]
        assert PAYLOADS[9] in page.inner_text(".prose")
        page.goto(f"{live_server.url}/routines/hostile-all/")
        assert page.locator(".step-instruction").first.inner_text() == f"{PAYLOADS[0]}\n\n{PAYLOADS[0]}"
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    assert_stored_as_typed()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["under CSP", "CSP bypassed"])
def test_no_payload_runs_in_guided_mode(browser, live_server, hostile_site, bypass_csp):
    context, page, fired = watched_page(browser, bypass_csp)
    try:
        url = f"{live_server.url}/routines/hostile-all/"
        problems = visit(page, fired, url)
        page.click("#guided-start")
        shown = []
        while page.inner_text("#player-count") != "Finished":
            shown.append(page.inner_text("#player-instruction"))
            page.click("#player-next")
        problems += [f"{url} (guided): {problem}" for problem in smuggled(page, fired)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    # Guided mode copied every step's words as text (both sides of a two-sided step).
    expected = []
    for i, payload in enumerate(PAYLOADS):
        expected += [f"{payload}\n\n{payload}"] * (2 if i % 10 == 0 else 1)
    assert shown == expected


@pytest.fixture
def hostile_admin(hostile_site, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", PASSWORD)
    technique_type = ContentType.objects.get_for_model(Technique)
    for technique in Technique.objects.filter(slug__in=[f"hostile-{i}" for i in range(len(PAYLOADS))])[:10]:
        LogEntry.objects.log_actions(user.pk, [technique], CHANGE, change_message=technique.name)
    return technique_type


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["under CSP", "CSP bypassed"])
def test_no_payload_runs_in_the_admin(browser, live_server, hostile_admin, bypass_csp):
    """Editors see every hostile name and text in lists, forms, delete pages and recent actions."""
    context, page, fired = watched_page(browser, bypass_csp)
    # The routine with every payload has one step card per payload (about a megabyte of form):
    # room for a busy machine.
    page.set_default_navigation_timeout(45_000)
    try:
        page.goto(f"{live_server.url}/admin/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#site-name")
        first = Technique.objects.get(slug="hostile-0")
        everything = Routine.objects.get(slug="hostile-all")
        page_pk = Page.objects.get(slug="hostile-all").pk
        problems = []
        for path in (
            "/admin/",
            "/admin/techniques/technique/",
            "/admin/techniques/technique/?q=alert",
            f"/admin/techniques/technique/{first.pk}/change/",
            f"/admin/techniques/technique/{first.pk}/delete/",
            "/admin/routines/routine/",
            f"/admin/routines/routine/{everything.pk}/change/",
            f"/admin/routines/routine/{everything.pk}/history/",
            "/admin/massage_site/page/",
            f"/admin/massage_site/page/{page_pk}/change/",
        ):
            problems += visit(page, fired, f"{live_server.url}{path}", styles=False)
        # The step's technique picker lists hostile names as plain options.
        page.goto(f"{live_server.url}/admin/routines/routine/{everything.pk}/change/")
        page.locator("#steps-0 .select2-selection, .field-technique .select2-selection").first.click()
        page.keyboard.type("alert")
        page.wait_for_selector(".select2-results__option:not(.loading-results)")
        page.wait_for_timeout(200)
        problems += [f"technique picker: {problem}" for problem in smuggled(page, fired, styles=False)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_admin_works_under_the_content_security_policy(browser, live_server, seeded, django_user_model):
    """Every kind of admin page editors and administrators use loads and runs its scripts with
    nothing blocked: no CSP violation, no script error (CSP is not bypassed here)."""
    django_user_model.objects.create_superuser("admin", "admin@example.com", PASSWORD)
    context, page, fired = watched_page(browser, bypass_csp=False)
    errors = []
    page.on("pageerror", lambda error: errors.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")  # the 429 lockout page, /favicon.ico
            and errors.append(f"console: {message.text}")
        ),
    )
    try:
        # The lockout page first: five wrong passwords, then the sixth attempt is refused for 15 minutes.
        for _ in range(6):
            page.goto(f"{live_server.url}/admin/login/")
            page.fill("#id_username", "admin")
            page.fill("#id_password", "wrong")
            page.click("input[type=submit]")
        assert "Too many failed sign-ins. Try again in 15 minutes." in page.inner_text("#content")
        problems = [f"lockout page: {problem}" for problem in smuggled(page, fired, styles=False)]
        from axes.models import AccessAttempt

        AccessAttempt.objects.all().delete()

        page.goto(f"{live_server.url}/admin/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#site-name")

        # Prepopulated slug, autocomplete and sortable steps all run.
        page.goto(f"{live_server.url}/admin/routines/routine/add/")
        page.locator("#id_title").press_sequentially("Hands and wrists")
        assert page.input_value("#id_slug") == "hands-and-wrists"
        page.get_by_role("button", name=re.compile("add another step", re.I)).click()  # no blank row until asked
        page.locator(".field-technique .select2-selection").first.click()
        page.keyboard.type("knead")
        page.wait_for_selector('.select2-results__option:has-text("Kneading")')
        page.keyboard.press("Escape")
        problems += [f"routine add: {problem}" for problem in smuggled(page, fired, styles=False)]

        legs = Routine.objects.get(slug="legs")
        kneading = Technique.objects.get(slug="kneading")
        page.goto(f"{live_server.url}/admin/techniques/technique/{kneading.pk}/change/")
        page.fill("#id_definition", "You squeeze and roll the muscle like dough.")
        page.click("input[name=_save]")
        assert "was changed successfully" in page.inner_text(".messagelist")
        history = page.goto(f"{live_server.url}/admin/techniques/technique/{kneading.pk}/history/")
        assert history.ok
        page.locator("#change-history a").first.click()  # one revision, as reversion shows it
        page.wait_for_selector("#technique_form")
        problems += [f"revision: {problem}" for problem in smuggled(page, fired, styles=False)]

        for path in (
            "/admin/",
            "/admin/techniques/technique/",
            "/admin/techniques/technique/add/",
            "/admin/techniques/technique/recover/",
            f"/admin/techniques/technique/{kneading.pk}/delete/",
            "/admin/routines/routine/",
            f"/admin/routines/routine/{legs.pk}/change/",
            f"/admin/routines/routine/{legs.pk}/history/",
            "/admin/massage_site/page/add/",
            "/admin/auth/user/",
            "/admin/auth/user/add/",
            "/admin/auth/group/add/",
            "/admin/axes/accessattempt/",
            "/admin/axes/accesslog/",
            "/admin/password_change/",
        ):
            problems += visit(page, fired, f"{live_server.url}{path}", styles=False)
        # Date and time pickers open.
        page.goto(f"{live_server.url}/admin/routines/routine/{legs.pk}/change/")
        page.locator(".datetimeshortcuts a").first.click()
        problems += [f"pickers: {problem}" for problem in smuggled(page, fired, styles=False)]
    finally:
        context.close()
    assert not problems + errors, "\n".join(problems + errors)
