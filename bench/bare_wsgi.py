"""The bare-WSGI ceiling for `make bench`: each page's cached answer sent as it is, by no framework.

`make bench` saves, for every page it measures, the status, headers and body the site sent
for a page-cache hit (BARE_WSGI_PAGES, a JSON file), and serves them with this app under the
same gunicorn settings as the site. What a hit costs beyond this is the site's own overhead:
the cache round trip and the page cache's rules.
"""

import base64
import json
import os

with open(os.environ["BARE_WSGI_PAGES"], encoding="utf-8") as saved:
    PAGES = {
        address: (page["status"], [tuple(header) for header in page["headers"]], base64.b64decode(page["body"]))
        for address, page in json.load(saved).items()
    }


def application(environ, start_response):
    query = environ.get("QUERY_STRING")
    status, headers, body = PAGES[environ["PATH_INFO"] + (f"?{query}" if query else "")]
    start_response(status, headers)
    return [body]
