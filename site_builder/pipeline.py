"""The whole build, top to bottom: load, validate, resolve, gate, render, write.

Nothing is written until every check has passed; a content error stops the
build before the output folder is touched.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from .aliases import canonicalize, check_aliases
from .bilingual import BilingualRenderer, bilingual_pages
from .cache import build_inputs, save_record, summary_of, unchanged_build, warnings_of
from .errors import ContentError, Position, Problem
from .exports import export_files
from .library import Library
from .links import LINKABLE, Links, resolve
from .loading import load_content
from .markdown import ProseParser
from .parallel import RenderFailure, default_jobs, render_pages
from .redirects import redirect_files
from .render import LANGUAGES, Renderer, iter_pages, page_keys
from .search import index_site
from .sitemap import robots, sitemap
from .views import SiteContext
from .write import write_site


@dataclass(frozen=True)
class BuildOptions:
    content: Path
    out: Path
    templates: Path
    base_url: str | None = None
    strict: bool = False  # warnings count as errors
    search: bool = True  # build the Pagefind search index (off: faster builds, no search)
    jobs: int = 0  # processes rendering pages; 0: one per available core


@dataclass
class BuildReport:
    pages: dict[str, int] = field(default_factory=dict)
    files: int = 0
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    skipped: bool = False  # nothing changed since the last build: nothing was written


class TemplateFailure(Exception):
    """A template is missing or broken: a problem for whoever maintains templates/."""


Log = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def check(content: Path, strict: bool = False, log: Log = _quiet) -> tuple[SiteContext, list[Problem]]:
    """Load, validate and resolve everything; raise ContentError on any error."""
    started = time.perf_counter()
    loaded, problems = load_content(content)
    library = Library.from_loaded(loaded)
    problems += check_aliases(library)  # former ids: see aliases.py
    log(f"load+validate: {sum(len(e) for e in library.entries.values())} entries from {content} "
        f"in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    parser = ProseParser(LINKABLE)
    # References are checked even when some files failed, so that one run
    # reports every mistake; unused-note warnings would be noise then.
    links, found = resolve(library, parser)
    load_failed = any(p.severity == "error" for p in problems) or library.site is None
    problems += [p for p in found if not (load_failed and p.severity == "warning")]
    log(f"resolve: {len(links.parsed)} prose texts, {sum(len(v) for v in links.backlinks.values())} links "
        f"in {time.perf_counter() - started:.2f} s")
    if load_failed or any(p.severity == "error" or strict for p in problems):
        raise ContentError(problems)
    site = SiteContext(canonicalize(library), links, parser, library.site.base_url)
    return site, problems


def render_site(site: SiteContext, templates: Path, jobs: int = 1) -> dict[str, bytes]:
    """Every output file of the site, as site-relative path -> bytes."""
    if not (templates / "base.html").is_file():
        raise TemplateFailure(f"{templates}: templates folder not found or incomplete (no base.html); "
                              "pass --templates with the folder that holds the site's templates")
    try:
        renderer = Renderer.create(site, templates)
    except OSError as exc:
        raise TemplateFailure(f"{exc.filename}: cannot read the interface translations: {exc.strerror}") from exc
    files: dict[str, bytes] = {}
    pages = list(iter_pages(site))
    claimed = [key.output_file(lang) for key, lang in pages]
    if len(set(claimed)) != len(claimed):  # two pages must never claim one file
        duplicate = next(path for path in claimed if claimed.count(path) > 1)
        raise TemplateFailure(f"two pages would be written to {duplicate}")
    try:
        files.update(render_pages(renderer, pages, jobs))
        files["index.html"] = renderer.render_root().encode("utf-8")
        # Not in the sitemap: print views, former addresses, short links (bilingual.py, redirects.py)
        for path, data in [*render_pages(BilingualRenderer(renderer), bilingual_pages(site), jobs),
                           *redirect_files(site, renderer).items()]:
            if path in files:
                raise TemplateFailure(f"two pages would be written to {path}")
            files[path] = data
    except RenderFailure as exc:
        raise TemplateFailure(str(exc)) from None
    except jinja2.TemplateError as exc:  # the root page, rendered here
        raise TemplateFailure(f"template error: {exc}") from exc
    files["404.html"] = files["en/404.html"]  # hosts serve the root 404.html for any missing page
    keys = page_keys(site)
    files["sitemap.xml"] = sitemap(keys, site.base_url, LANGUAGES).encode("utf-8")
    files["robots.txt"] = robots(site.base_url).encode("utf-8")
    for path, data in export_files(site.library, site.base_url).items():  # data/*.json|csv downloads
        if path in files:
            raise TemplateFailure(f"a data file and a page would both be written to {path}")
        files[path] = data
    static = templates / "static"
    for asset in sorted(static.rglob("*")) if static.is_dir() else []:
        if asset.is_file():
            files["assets/" + asset.relative_to(static).as_posix()] = asset.read_bytes()
    return files


def build(options: BuildOptions, log: Log = _quiet) -> BuildReport:
    started = time.perf_counter()
    inputs = build_inputs(options.content, options.templates, options.base_url, options.strict, options.search)
    summary = unchanged_build(options.out, inputs)
    if summary is not None:
        log(f"cache: inputs unchanged and {options.out} intact; nothing to do")
        return BuildReport(pages=summary["pages"], files=summary["files"], warnings=warnings_of(summary),
                           seconds=time.perf_counter() - started, skipped=True)
    site, problems = check(options.content, options.strict, log)
    if options.base_url:
        site = SiteContext(site.library, site.links, site.parser, _normalise_base(options.base_url))
    step = time.perf_counter()
    files = render_site(site, options.templates, options.jobs or default_jobs())
    log(f"render: {len(files)} files in {time.perf_counter() - step:.2f} s")
    step = time.perf_counter()

    def index(staging: Path) -> None:  # before the swap: build/ never lacks its index
        started_index = time.perf_counter()
        index_site(staging)
        log(f"search: Pagefind index in {time.perf_counter() - started_index:.2f} s")

    write_site(files, options.out, postprocess=index if options.search else None)
    log(f"write: {options.out} replaced in {time.perf_counter() - step:.2f} s")
    pages = {lang: sum(1 for path in files if path.startswith(f"{lang}/") and path.endswith(".html")) for lang in LANGUAGES}
    warnings = [p for p in problems if p.severity == "warning"]
    save_record(options.out, inputs, summary_of(pages, len(files), warnings))
    return BuildReport(pages=pages, files=len(files), warnings=warnings, seconds=time.perf_counter() - started)


def _normalise_base(url: str) -> str:
    return url if url.endswith("/") else url + "/"


__all__ = ["BuildOptions", "BuildReport", "ContentError", "Links", "Position", "TemplateFailure", "build", "check"]
