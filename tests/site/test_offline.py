"""Installable, with a service worker and an offline page (massage_site/offline.py); the browser
side is in tests/browser/test_offline_browser.py. And the static files production sends: our CSS
and JS minified on their way to hashed names."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from massage_site import offline

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_site_its_colours_and_icons_that_exist(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Self-massage guide"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_every_page_links_the_manifest_and_a_theme_colour_for_light_and_dark(client, seeded):
    html = client.get("/routines/neck/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert re.search(r'<meta name="theme-color" content="#\w+" media="\(prefers-color-scheme: light\)">', html)
    assert re.search(r'<meta name="theme-color" content="#\w+" media="\(prefers-color-scheme: dark\)">', html)


def test_the_service_worker_is_javascript_checked_on_every_visit_and_names_the_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    code = response.content.decode()
    for name in offline.SHELL_FILES:
        assert json.dumps(f"/static/{name}").replace("-", "\\u002D") in code
    assert '"/offline/"' in code


def test_a_release_with_a_changed_file_is_a_new_worker_with_a_new_store(monkeypatch):
    release = re.compile(r'const RELEASE = "(\w+)";')
    before = release.search(offline.worker_source())[1]
    assert release.search(offline.worker_source())[1] == before  # the same files, the same store
    monkeypatch.setattr(offline, "static", lambda name: f"/static/{name}".replace(".css", ".0123456789ab.css"))
    assert release.search(offline.worker_source())[1] != before


def test_the_offline_page_is_not_for_search_engines_and_says_nothing_is_sent(client):
    response = client.get("/offline/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in html
    assert "not sent anywhere" in html
    assert "/offline/" not in client.get("/sitemap.xml").content.decode()


def test_the_content_security_policy_gains_nothing_for_offline_use(client, seeded):
    policy = client.get("/routines/neck/")["Content-Security-Policy"]
    assert "connect-src 'self';" in policy or policy.endswith("connect-src 'self'")
    assert "worker-src" not in policy and "manifest-src" not in policy  # default-src 'self' covers both


def test_a_routine_page_offers_keep_for_offline_only_to_script_and_never_in_a_preview(client, seeded):
    html = client.get("/routines/neck/").content.decode()
    assert re.search(r'<p class="keep-offline" hidden><button type="button" class="secondary" id="keep-offline"', html)


def test_collected_css_and_js_are_minified_under_their_hashed_names(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "massage_site.static_files.MinifiedManifestStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    names = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("js/guided.js", "css/site.css"):
        source = finders.find(name)
        sent = (tmp_path / names[name]).read_text()
        assert len(sent) < 0.85 * len(Path(source).read_text())
        assert "/*" not in sent and "\n// " not in sent  # no comments left
    admin_js = "admin/js/SelectBox.js"
    assert (tmp_path / names[admin_js]).read_bytes() == Path(finders.find(admin_js)).read_bytes()
