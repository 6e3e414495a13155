"""Every page of the site as a job: where it goes, and how to render it. The data
downloads and the sitemap are jobs too: like pages, they record what they read
and are made again only when that changed.

A job is a small picklable value (it is sent to worker processes); rendering it
needs the site, which workers inherit. Jobs are listed entry by entry, with an
entry's pages next to each other (its page in both languages, its print page,
its short links), so that a worker renders the texts it has just parsed again.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .bilingual import BilingualRenderer
from .exports import export_chunks, export_paths
from .feeds import atom_feed, feed_path
from .meta import SHARE_IMAGE
from .permalinks import BilingualKey, short_path
from .redirects import alias_pages, render_alias, render_short, short_pages
from .renderer import LANGUAGES, Renderer, page_keys, rendered_chunks
from .sitemap import sitemap
from .urls import PageKey
from .views import SiteContext
from ..content.observed import NO_RECORDER, Recorder


@dataclass(frozen=True)
class Job:
    kind: str  # "page", "bilingual", "short" (language-neutral short link), "alias" (a former address),
    # "image" (a page's share picture), "export" (a data download file), "sitemap" or "feed"
    args: tuple
    path: str  # the output file, relative to the site's root


def site_jobs(site: SiteContext) -> list[Job]:
    library = site.library
    groups: list[list[Job]] = []
    by_entry: dict[tuple[str, str], list[Job]] = {}
    for key in page_keys(site):
        group = [Job("page", (key, lang), key.output_file(lang)) for lang in LANGUAGES]
        if key.kind != "not-found":
            group += [Job("image", (key, lang), key.path(lang) + SHARE_IMAGE) for lang in LANGUAGES]
        if key.id:
            bilingual = BilingualKey(key.kind, key.id)
            group += [Job("bilingual", (bilingual, lang), bilingual.output_file(lang)) for lang in LANGUAGES]
            by_entry[(key.kind, key.id)] = group
        groups.append(group)
    for kind, entry_id, id in short_pages(library):
        by_entry[(kind, entry_id)].append(Job("short", (kind, entry_id, id), short_path(kind, id) + "index.html"))
    aliases = [Job("alias", (kind, old, new, lang), PageKey(kind, old).output_file(lang))
               for kind, old, new, lang in alias_pages(library)]
    files = [Job("export", spec, path) for path, spec in export_paths(library)] + [Job("sitemap", (), "sitemap.xml")]
    files += [Job("feed", (lang,), feed_path(lang)) for lang in LANGUAGES]
    return [job for group in groups for job in group] + aliases + files


def render_job(renderer: Renderer, job: Job, recorder: Recorder = NO_RECORDER, items: Any = None) -> list[bytes]:
    """The job's file as UTF-8, in the chunks it was made of (written as they are: the
    largest files are never joined in memory). What it reads of the content is reported
    to `recorder`; `items` may keep the items of a page's long lists (views.ItemStore) or
    the lines of a download file (exports.KeptLines) between builds."""
    site = renderer.site.observed_by(recorder)
    if job.kind == "page":
        key, lang = job.args
        return rendered_chunks(lambda: renderer.render_chunks(key, lang, site, items))
    if job.kind == "image":
        key, lang = job.args
        return [renderer.render_share_image(key, lang, site)]
    if job.kind == "bilingual":
        key, lang = job.args
        return rendered_chunks(lambda: BilingualRenderer(renderer).render(key, lang, site))
    if job.kind == "short":
        return rendered_chunks(lambda: render_short(renderer, site, *job.args))
    if job.kind == "alias":
        return rendered_chunks(lambda: render_alias(renderer, site, *job.args))
    if job.kind == "export":
        name, form, dataset_id = job.args
        return export_chunks(site.library, site.base_url, name, form, dataset_id, kept=items)
    if job.kind == "sitemap":  # every page but print views, former addresses and short links
        return [sitemap(page_keys(site), site.base_url, LANGUAGES).encode("utf-8")]
    if job.kind == "feed":
        return [atom_feed(renderer, site, *job.args)]
    raise ValueError(job.kind)
