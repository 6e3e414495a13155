"""The whole build, top to bottom: read, validate, resolve, gate, plan, render, write.

Nothing is written until every check has passed; a content error stops the
build before the output folder is touched. A build whose inputs did not change
does nothing (cache.py); otherwise only the pages whose inputs changed are
rendered (dependencies.py, state.py) and put in place (output.py).
"""
from __future__ import annotations

import dataclasses
import gc
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2

from ..content.aliases import canonicalize, check_aliases
from ..core.confine import LINK_HINT, links_leaving
from .cache import build_inputs, cache_file, load_record, save_record, summary_of, unchanged_build, warnings_of
from .dependencies import entry_index, stale_jobs
from ..core.errors import ContentError, Position, Problem
from ..render.jobs import Job, site_jobs
from ..content.library import Library
from ..content.links import LINKABLE, Links, check_references
from ..content.markdown import ProseParser
from .memo import MemoFile
from .parallel import RenderFailure, Task, default_jobs, render_jobs
from .reading import ContentRead, Memo, read_content
from ..render.redirects import REDIRECTS_FILE, redirect_rules
from ..render.renderer import LANGUAGES, Renderer
from .search import BUNDLE
from .fingerprint import HEADERS_FILE, fingerprinted, headers_file
from ..render.share_image import SHARE_IMAGES, ImageCache
from ..render.webmanifest import ICONS, manifest, manifest_path
from ..render.sitemap import robots
from .output import MIRRORED, write_site_incrementally
from .state import (BuildState, cache_folder, kept_items, load_state, one_build_at_a_time, render_key, results_memo, save_state,
                    state_file)
from ..render.views import SiteContext


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
    rendered: tuple[str, ...] = ()  # the pages rendered by this build (the others were unchanged)


@dataclass
class Session:
    """What a long-running process (serve) keeps from one build to the next: the
    state and record it saved and the content files' results, so that a rebuild neither
    loads the first two nor unpickles the others again (at 5,000 entries, 1.2 s of an
    edit). Only a hint, like the cache: the state and record are used only while their
    files are still the ones this process saved (another build, say `make site` in
    another terminal, replaces them), and results only for files whose memo entry is
    unchanged."""

    state: BuildState | None = None
    state_file: tuple[int, int, int] | None = None  # (inode, size, mtime) of the state file it saved
    results: dict = field(default_factory=dict)  # reading.ContentRead.results
    record: LastRecord | None = None  # the record (cache.py) it saved
    settled: bool = False  # its heap is frozen (`settle`)

    def saved_state(self, out: Path) -> BuildState | None:
        """The state this session saved for `out`, if it is still the one on disk."""
        return self.state if self.state is not None and _file_identity(state_file(out)) == self.state_file else None

    def keep(self, out: Path, state: BuildState, saved: bool, record: dict[str, Any] | None) -> None:
        self.state, self.state_file = (state, _file_identity(state_file(out))) if saved else (None, None)
        self.record = LastRecord(record, _file_identity(cache_file(out))) if record is not None else None

    def settle(self) -> None:
        """Between builds, once the last one is published: collect its garbage now, and
        leave what is kept for the next build (content, state: millions of objects) out
        of the garbage collector's full scans, which would otherwise walk all of it again
        in the middle of each build (0.2 s a scan at 5,000 entries). The build's cyclic
        garbage is collected first, so freezing keeps nothing alive that was not."""
        gc.collect()
        gc.freeze()
        self.settled = True


@dataclass(frozen=True)
class LastRecord:
    """The last build's record (cache.load_record), with the identity of its file when it
    was read: still that build's as long as the file has not been replaced since."""

    payload: dict[str, Any] | None
    identity: tuple[int, int, int] | None

    @classmethod
    def read(cls, out: Path, session: Session | None = None) -> LastRecord:
        identity = _file_identity(cache_file(out))  # before reading: a file replaced meanwhile shows later
        if session is not None and session.record is not None and identity is not None \
                and session.record.identity == identity:
            return session.record
        return cls(load_record(out), identity)

    def current(self, out: Path) -> LastRecord:
        """This record if its file is still the one read, else the record now there."""
        return self if _file_identity(cache_file(out)) == self.identity else LastRecord.read(out)


def _file_identity(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


class TemplateFailure(Exception):
    """A template is missing or broken: a problem for whoever maintains templates/."""


Log = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def check(content: Path, strict: bool = False, log: Log = _quiet, jobs: int = 0) -> tuple[SiteContext, list[Problem]]:
    """Load, validate and resolve everything; raise ContentError on any error. Files are
    read on `jobs` processes (0: one per core), as a build reads them: at 2,000 entries
    `site-builder check` took 4.7 s on one core, 2.8 s on two."""
    site, problems, _read = _check(content, strict, log, jobs or default_jobs())
    return site, problems


def _check(content: Path, strict: bool, log: Log, jobs: int = 1, memo: Memo | None = None,
           store: MemoFile | None = None, session: Session | None = None, hashes: dict[str, str] | None = None
           ) -> tuple[SiteContext, list[Problem], ContentRead]:
    started = time.perf_counter()
    parser = ProseParser(LINKABLE)
    read = read_content(content, parser, jobs, memo, store, session.results if session else None, hashes)
    if session is not None:
        session.results = read.results
    library = Library.from_loaded(read.content)
    problems = read.problems + check_aliases(library)  # former ids: see aliases.py
    log(f"read: {sum(len(e) for e in library.entries.values())} entries from {content} "
        f"({read.files - read.reused} files read, {read.reused} unchanged"
        f"{f', {read.in_memory} of them kept in memory' if read.in_memory else ''}) in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    # References are checked even when some files failed, so that one run
    # reports every mistake; unused-note warnings would be noise then.
    links, found = check_references(library, read.refs)
    load_failed = any(p.severity == "error" for p in problems) or library.site is None
    problems += [p for p in found if not (load_failed and p.severity == "warning")]
    log(f"references: {sum(len(v) for v in links.backlinks.values())} links checked in {time.perf_counter() - started:.2f} s")
    if load_failed or any(p.severity == "error" or strict for p in problems):
        raise ContentError(problems)
    for refs in read.refs.values():
        parser.compiled.update(refs.compiled)
    site = SiteContext(canonicalize(library), links, parser, library.site.base_url)
    return site, problems, read


PLACEHOLDER_URL = "https://example.org/"


def placeholder_address(library: Library, base_url: str | None) -> list[Problem]:
    """A warning while the site's address is still the placeholder of the example
    site.yaml: canonical links, citations, the sitemap, feeds and share pictures would
    all point to example.org. On every build (`check` judges the content, not where it
    is published), and an error with --strict."""
    url = _normalise_base(base_url or library.site.base_url)
    if url.lower() != PLACEHOLDER_URL:
        return []
    position = library.site_origin.at("base_url") if library.site_origin else Position("site.yaml")
    return [Problem(position, f"base_url is still the placeholder {PLACEHOLDER_URL}: every canonical link, "
                    "citation, feed, share picture and the sitemap point there",
                    "set base_url in site.yaml (or pass --base-url) to the address the site is published at",
                    severity="warning")]


def _renderer(site: SiteContext, templates: Path, compiled_templates: Path | None = None) -> Renderer:
    if not (templates / "base.html").is_file():
        raise TemplateFailure(f"{templates}: templates folder not found or incomplete (no base.html); "
                              "pass --templates with the folder that holds the site's templates")
    outside = links_leaving(templates)
    if outside:
        raise TemplateFailure("; ".join(f"{path}: symbolic link to a file outside the templates folder, not read"
                                        for path in outside) + f" ({LINK_HINT})")
    try:
        return Renderer.create(site, templates, compiled_templates=compiled_templates)
    except OSError as exc:
        raise TemplateFailure(f"{exc.filename}: cannot read the interface translations: {exc.strerror}") from exc


def _with_assets(site: SiteContext, templates: Path, images: ImageCache) -> tuple[SiteContext, dict[str, bytes]]:
    """The site's assets (templates/static and the icons, drawn here or kept in `images`),
    each also under its fingerprinted name (fingerprint.py), and the site that links to those names."""
    assets: dict[str, bytes] = {}
    static = templates / "static"
    for asset in sorted(static.rglob("*")) if static.is_dir() else []:
        if asset.is_file():
            assets["assets/" + asset.relative_to(static).as_posix()] = asset.read_bytes()
    assets["assets/favicon.png"] = images.icon(32)
    assets["favicon.ico"] = images.icon_ico()
    assets.update({path: images.icon(size) for path, size in ICONS.items()})
    names = fingerprinted({path: data for path, data in assets.items() if path.startswith("assets/")})
    files = {**assets, **{names[path]: data for path, data in assets.items() if path in names}}
    return dataclasses.replace(site, assets=names), files


def _site_files(site: SiteContext, renderer: Renderer, jobs: list[Job], assets: dict[str, bytes]) -> dict[str, bytes]:
    """Every output file that is not a job: the root page, robots.txt, _redirects, _headers,
    the assets, the web app manifests and /favicon.ico (which browsers ask for whatever a
    page says)."""
    try:
        files = {"index.html": renderer.render_root().encode("utf-8")}
    except jinja2.TemplateError as exc:
        raise TemplateFailure(f"template error: {exc}") from exc
    files["robots.txt"] = robots(site.base_url).encode("utf-8")
    files[REDIRECTS_FILE] = redirect_rules(site)
    files[HEADERS_FILE] = headers_file(site.base_url, LANGUAGES)
    files.update(assets)
    files.update({manifest_path(lang): manifest(site.library.site, lang, site.assets) for lang in LANGUAGES})
    claimed = [job.path for job in jobs] + list(files)
    if len(set(claimed)) != len(claimed):  # two outputs must never claim one file
        seen: set[str] = set()
        duplicate = next(path for path in claimed if path in seen or seen.add(path))  # type: ignore[func-returns-value]
        raise TemplateFailure(f"two pages would be written to {duplicate}")
    return files


def render_site(site: SiteContext, templates: Path, jobs: int = 1) -> dict[str, bytes]:
    """Every output file of the site, as site-relative path -> bytes (in memory: for tests)."""
    site, assets = _with_assets(site, templates, ImageCache(None))
    renderer = _renderer(site, templates)
    page_jobs = site_jobs(site)
    files = _site_files(site, renderer, page_jobs, assets)
    try:
        for rendered in render_jobs(Task(renderer, None, {}), page_jobs, jobs):
            files[rendered.path] = rendered.data or b""
    except RenderFailure as exc:
        raise TemplateFailure(str(exc)) from None
    files["404.html"] = files["en/404.html"]  # hosts serve the root 404.html for any missing page
    return files


def build(options: BuildOptions, log: Log = _quiet, notice: Log = _quiet, session: Session | None = None
          ) -> BuildReport:
    """Build the site; `log` gets every step (--verbose), `notice` what the user should
    know even without it (that the build waits for another one). A process that builds
    again and again (serve) passes the same `session` each time."""
    with collector_paused():
        return _build_unless_unchanged(options, log, notice, session)


@contextmanager
def collector_paused() -> Iterator[None]:
    """CPython's cyclic garbage collector, off while this process builds. The build holds
    the whole content, millions of objects, and makes little cyclic garbage: full
    collections, triggered as the content is loaded, only walked all of it again and
    again (five times, 0.4 s, in a one-edit build at 5,000 entries). Worker processes,
    which render pages and do make garbage, collect as usual (parallel.py, reading.py)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build_unless_unchanged(options: BuildOptions, log: Log, notice: Log, session: Session | None) -> BuildReport:
    started = time.perf_counter()
    inputs = build_inputs(options.content, options.templates, options.base_url, options.strict, options.search)
    record = LastRecord.read(options.out, session)
    summary = unchanged_build(options.out, inputs, record.payload)
    if summary is not None:
        log(f"cache: inputs unchanged and {options.out} intact; nothing to do")
        return BuildReport(pages=summary["pages"], files=summary["files"], warnings=warnings_of(summary),
                           seconds=time.perf_counter() - started, skipped=True)
    with one_build_at_a_time(options.out, notice):  # (another build may have finished meanwhile)
        record = record.current(options.out)
        if session is None:  # (the folders' times only serve to find that nothing changed: 4 MB at 5,000 entries)
            record = LastRecord({**record.payload, "folders": {}} if record.payload else None, record.identity)
        return _build(options, inputs, started, log, session, record)


def _build(options: BuildOptions, inputs: Any, started: float, log: Log, session: Session | None,
           record: LastRecord) -> BuildReport:
    workers = options.jobs or default_jobs()
    loaded = (session.saved_state(options.out) if session else None) or load_state(options.out)
    with closing(MemoFile(results_memo(options.out), loaded.memo_token if loaded else None)) as store:
        return _build_with(options, inputs, started, log, workers, loaded, store, session, record)


def _build_with(options: BuildOptions, inputs: Any, started: float, log: Log, workers: int,
                loaded: BuildState | None, store: MemoFile, session: Session | None, record: LastRecord) -> BuildReport:
    # the record's manifest describes the live site, soon the spare
    live_manifest = record.payload["manifest"] if record.payload else {}
    site, problems, read = _check(options.content, options.strict, log, workers, loaded.memo if loaded else None,
                                  store, session, inputs.hashes)
    placeholder = placeholder_address(site.library, options.base_url)  # (a build's concern, not the content's)
    if placeholder and options.strict:
        raise ContentError(problems + placeholder)
    problems = problems + placeholder
    if options.base_url:
        site = SiteContext(site.library, site.links, site.parser, _normalise_base(options.base_url))
    step = time.perf_counter()
    site, assets = _with_assets(site, options.templates, ImageCache(cache_folder(options.out) / SHARE_IMAGES))
    renderer = _renderer(site, options.templates, cache_folder(options.out) / "templates")
    page_jobs = site_jobs(site)
    others = _site_files(site, renderer, page_jobs, assets)
    key = render_key(options.templates, read.digests.get(("site", ""), ""), site.base_url)
    # Templates, code or site settings changed: every page may change, render them all
    # (the spare folder is still updated in place: identical pages are not rewritten).
    previous = loaded if loaded is not None and loaded.render_key == key and options.out.is_dir() else None
    dirty = stale_jobs(page_jobs, previous, site, read.digests) if previous else page_jobs
    keys = entry_index(read.digests, previous.keys if previous else None)
    log(f"plan: {len(dirty)} of {len(page_jobs)} pages to render, {len(others)} other files "
        f"in {time.perf_counter() - step:.2f} s")
    try:
        state, published, known = write_site_incrementally(
            options.out, options.search,
            Task(renderer, None, {}, {key: n for n, key in enumerate(keys)}, digests=read.digests,
                 items=kept_items(options.out), render_key=key, heap_frozen=bool(session and session.settled)),
            page_jobs, dirty, others, previous, loaded, live_manifest, workers, log)
    except RenderFailure as exc:
        raise TemplateFailure(str(exc)) from None
    state.render_key, state.keys = key, keys
    state.memo, state.memo_token = store.compacted(read.memo), store.token
    if session is not None and state.memo is not read.memo:  # written anew: results moved
        session.results = {(key, state.memo[key]): result for (key, _stored), result in session.results.items()
                           if key in state.memo}
    state.entries = dict(read.digests)
    pages = {lang: sum(1 for path in state.live if path.startswith(f"{lang}/") and path.endswith(".html")) for lang in LANGUAGES}
    warnings = [p for p in problems if p.severity == "warning"]
    saved_record = save_record(options.out, inputs, summary_of(pages, len(state.live), warnings), state.live,
                               walk=[BUNDLE] if options.search else [], known=known)
    if published == MIRRORED:  # hard links: the same sizes and times as the live files
        state.spare_manifest = saved_record["manifest"] if saved_record else {}
    if session is None:  # let go of it before saving the state, the build's largest moment in memory
        saved_record = None
    saved = save_state(options.out, state)
    if session is not None:
        session.keep(options.out, state, saved, saved_record)
    log(f"write: {options.out} replaced ({published}) in {time.perf_counter() - step:.2f} s")
    return BuildReport(pages=pages, files=len(state.live), warnings=warnings, seconds=time.perf_counter() - started,
                       rendered=tuple(sorted(state.rendered)))


def _normalise_base(url: str) -> str:
    return url if url.endswith("/") else url + "/"


__all__ = ["BuildOptions", "BuildReport", "Session", "ContentError", "Links", "Position", "TemplateFailure", "build", "check"]
