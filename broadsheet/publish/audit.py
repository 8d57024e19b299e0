"""Lighthouse audit of a built site: the four category scores of one page of each type,
mobile and desktop. Also where each page type lives in the output (shared with the browser tests).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LIGHTHOUSE = "lighthouse@12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FORM_FACTORS = ("mobile", "desktop")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"

# kind -> (glob under the output folder, preferred match, what writes it)
PAGE_KINDS: dict[str, tuple[str, str | None, str]] = {
    "home": ("index.html", None, "the plugin's index.html"),
    "article": ("[0-9][0-9][0-9][0-9]/*/*/*/index.html", "nk-leader", "Pelican (article.html)"),
    "daily-digest": ("digest/[0-9]*/[0-9]*/[0-9]*/index.html", None, "the plugin"),
    "weekly-digest": ("digest/[0-9]*/w[0-9]*/index.html", None, "the plugin"),
    "story": ("stories/*/index.html", None, "the plugin (story.html)"),
    "entity": ("people/*/index.html", "kim-jong-un", "the plugin"),
    "topic": ("topics/*/index.html", None, "the plugin"),
    "source": ("sources/*/index.html", "korea-herald", "the plugin"),
    "section": ("sections/*/index.html", "national", "Pelican (category.html)"),
    "search": ("search/index.html", None, "search.html"),
    "404": ("404.html", None, "content/pages/404.md"),
}
AUDITED_KINDS = (
    "home",
    "article",
    "daily-digest",
    "weekly-digest",
    "story",
    "entity",
    "topic",
    "source",
    "search",
    "404",
)


@dataclass(frozen=True)
class PageScores:
    kind: str
    path: str
    form_factor: str
    scores: dict[str, float]  # category id -> 0..1


def find_page(output: Path, kind: str) -> str:
    """The URL path of one page of `kind` in a built site (the preferred one when present)."""
    pattern, preferred, writer = PAGE_KINDS[kind]
    matches = sorted(p for p in output.glob(pattern) if "/page/" not in p.as_posix())
    if not matches:
        raise LookupError(f"no {kind} page ({pattern}) in {output}: written by {writer}")
    chosen = next((p for p in matches if preferred and preferred in p.as_posix()), matches[-1])
    return "/" + re.sub(r"index\.html$", "", chosen.relative_to(output).as_posix())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # the stdlib's signature
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 at a free port for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def ensure_lighthouse(tools: Path) -> Path:
    """Lighthouse installed with npm into the project-local `tools` folder (once)."""
    binary = tools / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        tools.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--save-exact",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(tools),
                LIGHTHOUSE,
            ],
            check=True,
        )
    return binary


def run_lighthouse(binary: Path, url: str, form_factor: str, chrome: str) -> dict[str, float]:
    """The category scores Lighthouse gives `url` on `form_factor`."""
    command = [
        str(binary),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    done = subprocess.run(
        command,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": chrome},
    )
    categories = json.loads(done.stdout)["categories"]
    return {name: categories[name]["score"] for name in CATEGORIES}


def audit_site(
    output: Path,
    tools: Path,
    chrome: str = "/usr/bin/chromium",
    kinds: tuple[str, ...] = AUDITED_KINDS,
) -> Iterator[PageScores]:
    """Serve `output` locally and audit one page of each kind, mobile then desktop."""
    binary = ensure_lighthouse(tools)
    with serve(output) as base:
        for kind in kinds:
            path = find_page(output, kind)
            for form_factor in FORM_FACTORS:
                yield PageScores(
                    kind,
                    path,
                    form_factor,
                    run_lighthouse(binary, base + path, form_factor, chrome),
                )


def format_row(row: PageScores) -> str:
    scores = "  ".join(f"{row.scores[name]:>14.2f}" for name in CATEGORIES)
    return f"{row.kind:<14} {row.form_factor:<8} {scores}  {row.path}"


def header() -> str:
    return f"{'page':<14} {'device':<8} " + "  ".join(f"{name:>14}" for name in CATEGORIES)
