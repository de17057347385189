"""Datasette plugin of the project (`datasette --plugins-dir analysis/datasette_plugins`, as
`make serve` runs it): a claims or estimates row's `row_id` and `evidence_url` cells link to
the row's highlighted place on its article's evidence page, /static/html/articles/<page>#<row_id>
(OUT served with `--static static:OUT`).

It also lets Datasette serve static files whose names need quoting in a URL (evidence pages
of articles named with spaces, "#", "%" or other letters): Datasette 0.65 looks the file up by
the still-quoted path and answers 404 (simonw/datasette pull request #2450, open). For paths
under /static/ only, the request reaches Datasette with the path decoded (its ASGI "path",
without "raw_path"); Datasette's own check keeps the file inside the served folder.

Only a URL the project made is linked (one that starts with the evidence pages' folder, read
from the row's own evidence_url column), only when that page exists in the static folder,
and both the URL and the text shown are HTML-escaped: the cell's text stays text. Every other
cell is left to Datasette, which escapes it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from datasette import hookimpl
from markupsafe import Markup

STATIC_MOUNT = "static"
EVIDENCE_PREFIX = f"/{STATIC_MOUNT}/html/articles/"
LINKED = {"claims": ("row_id", "evidence_url"), "estimates": ("row_id", "evidence_url")}


def _page_exists(datasette, url: str) -> bool:
    """Whether the evidence page of `url` is a file in the folder served under /static/
    (True when this Datasette does not say what it serves)."""
    mounts = getattr(datasette, "static_mounts", None)
    if mounts is None:
        return True
    relative = unquote(url[len(f"/{STATIC_MOUNT}/"):].split("#", 1)[0])
    for mount, directory in mounts:
        if mount != STATIC_MOUNT:
            continue
        root = Path(directory).resolve()
        page = (root / relative).resolve()
        return root in page.parents and page.is_file()
    return False


@hookimpl
def render_cell(row, value, column, table, datasette):
    if column not in LINKED.get(table or "", ()) or not isinstance(value, str) or not value:
        return None
    try:
        url = row["evidence_url"]
    except (IndexError, KeyError, TypeError):
        return None  # a query without the column: the cell as Datasette shows it
    if not isinstance(url, str) or not url.startswith(EVIDENCE_PREFIX) or not _page_exists(datasette, url):
        return None
    return Markup('<a href="{}">{}</a>').format(datasette.urls.path(url), value)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def decode_static_paths(scope, receive, send):
            if (scope.get("type") == "http" and "raw_path" in scope
                    and scope.get("path", "").startswith(str(datasette.urls.path(f"/{STATIC_MOUNT}/")))):
                scope = {key: value for key, value in scope.items() if key != "raw_path"}
            await app(scope, receive, send)

        return decode_static_paths

    return wrap
