"""The steps of a build, in the order `pipeline.build()` takes them.

Each is a function of what the steps before it made; the incremental layer comes in
only through what `BuildMemory` hands over (the content results of earlier builds,
the last build's state, the cache paths).
"""
from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import jinja2

from .cache import Inputs
from .config import BuildConfig
from .memo import ContentResults
from .memory import BuildMemory, CachePaths, elapsed
from .output import prepare_folder, publish_site, write_pages
from .fragments import ItemFiles
from .parallel import Task
from .plan import DuplicateOutput, Plan, plan_pages
from .reading import ContentRead, read_content
from .search import BUNDLE
from .state import BuildState
from .write import removed_on_failure
from ..content.aliases import canonicalize, check_aliases
from ..content.library import Library
from ..content.links import LINKABLE, check_references
from ..content.observed import FieldKey
from ..content.markdown import ProseParser
from ..core.confine import LINK_HINT, links_leaving
from ..core.errors import ContentError, Position, Problem, TemplateFailure
from ..render.renderer import LANGUAGES, Renderer, template_failure
from ..render.share_image import ImageCache
from ..render.site_files import asset_files, site_files
from ..render.views import SiteContext

Log = Callable[[str], None]
PLACEHOLDER_URL = "https://example.org/"

__all__ = ["read", "resolve", "before_publishing", "prepare_rendering", "plan", "render_and_publish", "page_counts",
           "walked"]


def read(content: Path, workers: int, log: Log, earlier: ContentResults | None = None,
         hashes: dict[str, str] | None = None) -> ContentRead:
    """Every content file parsed and validated on its own (`earlier`: the results of
    files unchanged since an earlier build, which are not read again)."""
    started = time.perf_counter()
    read = read_content(content, ProseParser(LINKABLE), workers, earlier, hashes)
    log(f"read: {sum(len(e) for e in read.content.entries.values())} entries from {content} "
        f"({read.files - read.reused} files read, {read.reused} unchanged"
        f"{f', {read.in_memory} of them kept in memory' if read.in_memory else ''}) in {elapsed(started)}")
    return read


def resolve(read: ContentRead, strict: bool, log: Log) -> tuple[SiteContext, list[Problem]]:
    """The library, its cross-references checked and its former ids resolved; raises
    ContentError on any error (or any warning, with `strict`). References are checked
    even when some files failed, so that one run reports every mistake; unused-note
    warnings would be noise then."""
    started = time.perf_counter()
    library = Library.from_loaded(read.content)
    problems = read.problems + check_aliases(library)  # former ids: see aliases.py
    links, found = check_references(library, read.refs)
    load_failed = any(p.severity == "error" for p in problems) or library.site is None
    problems += [p for p in found if not (load_failed and p.severity == "warning")]
    log(f"references: {sum(len(v) for v in links.backlinks.values())} links checked in {elapsed(started)}")
    if load_failed or library.site is None or any(p.severity == "error" or strict for p in problems):
        raise ContentError(problems)
    parser = ProseParser(LINKABLE)
    for refs in read.refs.values():
        parser.compiled.update(refs.compiled)
    return SiteContext(canonicalize(library, links.former_ids), links, parser, library.site.base_url), problems


def before_publishing(site: SiteContext, problems: list[Problem], config: BuildConfig) -> list[Problem]:
    """`problems` and what a build adds to `check`'s: whether the site has its address.
    With --strict, any warning stops the build."""
    problems = problems + placeholder_address(site, config)
    if config.strict and problems:
        raise ContentError(problems)
    return problems


def placeholder_address(site: SiteContext, config: BuildConfig) -> list[Problem]:
    """A warning while the site's address is still the placeholder of the example
    site.yaml: canonical links, citations, the sitemap, feeds and share pictures would
    all point to example.org. On every build (`check` judges the content, not where it
    is published), and an error with --strict."""
    if config.site_url(site.base_url).lower() != PLACEHOLDER_URL:
        return []
    origin = site.library.site_origin
    position = origin.at("base_url") if origin else Position("site.yaml")
    return [Problem(position, f"base_url is still the placeholder {PLACEHOLDER_URL}: every canonical link, "
                    "citation, feed, share picture and the sitemap point there",
                    "set base_url in site.yaml (or pass --base-url) to the address the site is published at",
                    severity="warning")]


def prepare_rendering(site: SiteContext, config: BuildConfig, paths: CachePaths
                      ) -> tuple[SiteContext, Renderer, dict[str, bytes]]:
    """The site at its address with its fingerprinted assets, the templates ready to
    render it, and the site's files that are not pages."""
    images = ImageCache(paths.share_images)
    assets, names = asset_files(config.templates, images)
    site = dataclasses.replace(site, base_url=config.site_url(site.base_url), assets=names)
    renderer = load_templates(site, config.templates, paths.compiled_templates, images)
    return site, renderer, site_files(site, renderer, assets)


def load_templates(site: SiteContext, templates: Path, compiled: Path | None, images: ImageCache) -> Renderer:
    if not (templates / "base.html").is_file():
        raise TemplateFailure(f"{templates}: templates folder not found or incomplete (no base.html); "
                              "pass --templates with the folder that holds the site's templates")
    outside = links_leaving(templates)
    if outside:
        raise TemplateFailure("; ".join(f"{path}: symbolic link to a file outside the templates folder, not read"
                                        for path in outside) + f" ({LINK_HINT})")
    try:
        return Renderer.create(site, templates, compiled_templates=compiled, images=images)
    except OSError as exc:
        raise TemplateFailure(f"{exc.filename}: cannot read the interface translations: {exc.strerror}") from exc
    except jinja2.TemplateError as exc:
        raise template_failure(exc) from None


def plan(site: SiteContext, files: dict[str, bytes], digests: dict[FieldKey, str], last: BuildState | None,
         inputs: Inputs, config: BuildConfig, log: Log) -> Plan:
    started = time.perf_counter()
    try:
        planned = plan_pages(site, files, digests, last, inputs, config.templates, config.out)
    except DuplicateOutput as exc:
        raise TemplateFailure(str(exc)) from None
    log(f"plan: {len(planned.stale)} of {len(planned.jobs)} pages to render, {len(files)} other files "
        f"in {elapsed(started)}")
    return planned


@dataclass(frozen=True)
class Published:
    state: BuildState  # the new live site's files and pages, with what each page read
    known: dict[str, list[int]]  # [size, mtime_ns] of live files whose stat was just taken
    mirrored: bool  # the spare folder is a hard-linked copy of the new live site


def render_and_publish(plan: Plan, renderer: Renderer, digests: dict[FieldKey, str], memory: BuildMemory,
                       last: BuildState | None, config: BuildConfig, log: Log) -> Published:
    """Render the stale pages into the folder to publish (the spare, or a new one),
    bring the unchanged ones there, index it for search and swap it in."""
    live_manifest = memory.live_manifest()
    staging = prepare_folder(config.out, memory, last, live_manifest)
    task = Task(renderer, None, {}, {key: n for n, key in enumerate(plan.entry_keys)}, digests=digests,
                items=ItemFiles(memory.paths.items, plan.render_key, memory.keep_lists_from),
                heap_frozen=memory.settled)  # (what every worker process needs, inherited through fork)
    with removed_on_failure(staging.folder, config.out):
        state = write_pages(staging, task, plan, plan.previous, live_manifest, config.out, config.workers, log)
    pages = [job.path for job in plan.jobs if job.kind == "page"]  # what search may index (not print views…)
    known = publish_site(staging, state, config.out, config.search, memory, last, live_manifest, log, pages)
    # (the digests keyed by the numbering's own tuples: saved once and loaded as one set of
    #  objects, 10 MB less of every later build's memory at 5,000 entries)
    state.render_key, state.keys = plan.render_key, plan.entry_keys
    state.entries = {key: digests[key] for key in plan.entry_keys if key in digests}
    return Published(state, known, staging.mirror is not None)


def page_counts(state: BuildState) -> dict[str, int]:
    return {lang: sum(1 for path in state.live if path.startswith(f"{lang}/") and path.endswith(".html"))
            for lang in LANGUAGES}


def walked(config: BuildConfig) -> list[str]:
    """Output folders the build does not know file by file (listed for its record)."""
    return [BUNDLE] if config.search else []
