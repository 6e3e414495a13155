"""A build's configuration: every option, merged once, before the build starts.

The command line (or `serve`, or a test) makes one `BuildConfig`; nothing in the
build patches it afterwards. What the content itself decides (the site's address
in site.yaml) is combined with it in one place, `BuildConfig.site_url`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildConfig:
    content: Path  # the folder holding site.yaml and the entries
    out: Path  # the output folder, replaced atomically
    templates: Path  # templates, static assets and interface translations
    base_url: str | None = None  # the address the site is published at; None: site.yaml's
    strict: bool = False  # warnings count as errors
    search: bool = True  # build the Pagefind search index (off: faster builds, no search)
    jobs: int = 0  # processes reading files and rendering pages; 0: one per available core
    # serve: a site whose last build also made the search index is up to date too (serve
    # builds without it and makes its own; the pages are the same either way)
    index_optional: bool = False

    @property
    def workers(self) -> int:
        return self.jobs or available_cores()

    def site_url(self, from_site_yaml: str) -> str:
        """The site's address, with a trailing slash: the command line's, else site.yaml's."""
        url = self.base_url or from_site_yaml
        return url if url.endswith("/") else url + "/"

    def fingerprinted_options(self, search: bool | None = None) -> dict[str, object]:
        """The options that change what a build writes (part of its input fingerprint);
        `search`: as if the search option were that."""
        return {"base_url": self.base_url, "strict": self.strict, "search": self.search if search is None else search}


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
