"""Command line: `site-builder init`, `build`, `check`, `serve`, `new`, `status`, `schema`.

Exit status: 0 success, 1 content (or template/output) errors, 2 usage errors.
Content mistakes are printed as `file:line:col: error: message (hint)`, never as
a traceback.
"""
from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
from pathlib import Path

from ..core.errors import ContentError, Problem, TemplateFailure, as_seen_from
from ..core.kinds import KIND_IDS

# The other modules are imported where they are used: loading pydantic, Jinja and
# Babel takes a few tenths of a second, which a build with nothing to do skips
# (building/pipeline.py loads them only once it knows there is something to do).


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="site-builder",
                                     description="Build a bilingual (French/English) explainer site from YAML content.")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                         help="folder holding site.yaml and the entries (default: content)")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
        noise = sub.add_mutually_exclusive_group()
        noise.add_argument("--quiet", "-q", action="store_true", help="print errors only")
        noise.add_argument("--verbose", "-v", action="store_true", help="print every step")

    build_cmd = commands.add_parser("build", help="validate the content and write the site")
    common(build_cmd)
    build_cmd.add_argument("--out", type=Path, default=Path("build"), metavar="DIR",
                           help="output folder, replaced atomically (default: build)")
    build_cmd.add_argument("--templates", type=Path, metavar="DIR",
                           help="templates, static assets and catalogs (default: templates/ next to the content folder)")
    build_cmd.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                           help="processes rendering pages (default: one per core)")
    build_cmd.add_argument("--base-url", metavar="URL", type=_url,
                           help="absolute URL the site is published at (default: base_url in site.yaml)")
    build_cmd.add_argument("--no-search", dest="search", action="store_false",
                           help="skip the full-text search index (faster; the search page then only links to the indexes)")
    check_cmd = commands.add_parser("check", help="validate the content; write nothing")
    common(check_cmd)

    new_cmd = commands.add_parser("new", help="write a new entry file with every field of its kind")
    new_cmd.add_argument("kind", choices=KIND_IDS, metavar="KIND", help="one of: " + ", ".join(KIND_IDS))
    new_cmd.add_argument("id", metavar="ID", help="the new entry's id (lowercase letters, digits, hyphens)")
    new_cmd.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    new_cmd.add_argument("--schemas", type=Path, metavar="DIR",
                         help="JSON Schemas the file's modeline points to (default: schemas/ next to the content folder)")

    init_cmd = commands.add_parser("init", help="start a new explainer: a small bilingual site, its templates and schemas")
    init_cmd.add_argument("folder", type=Path, metavar="DIR", help="the new explainer's folder (must not exist, or be empty)")

    schema_cmd = commands.add_parser("schema", help="write the JSON Schemas of every kind of content file")
    schema_cmd.add_argument("--out", type=Path, default=Path("schemas"), metavar="DIR")

    status_cmd = commands.add_parser("status", help="report untranslated, out-of-sync and unlinked content (never fails)")
    status_cmd.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    status_cmd.add_argument("--mark-synced", nargs="*", metavar="KIND:ID",
                            help="record the current French and English as in sync, for every text or only "
                                 "these entries (e.g. actor:iai, site), in content/.translations.json")

    serve_cmd = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild when files change")
    serve_cmd.add_argument("--port", type=_port, default=8000, metavar="N",
                           help="port on 127.0.0.1 (default: 8000; 0 picks a free port)")
    serve_cmd.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    serve_cmd.add_argument("--out", type=Path, default=Path("build"), metavar="DIR")
    serve_cmd.add_argument("--templates", type=Path, metavar="DIR",
                           help="(default: templates/ next to the content folder)")
    serve_cmd.add_argument("--no-search", dest="search", action="store_false",
                           help="leave out the search index (serve makes it in the background after each rebuild)")
    return parser


def _url(value: str) -> str:
    # Characters a URL never holds unencoded (RFC 3986) are refused: `"<>` and the like.
    if not re.match(r"^https?://[^\s/\"<>\\^`{|}]+(/[^\s\"<>\\^`{|}]*)?$", value):
        raise argparse.ArgumentTypeError(f"'{value}' is not an absolute http(s) URL, e.g. https://example.org/explainer/")
    return value


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port number (0 to 65535; 0 picks a free port)")
    return int(value)


class _VersionAction(argparse.Action):
    """`--version`, looked up only when asked for: reading the installed version imports
    importlib.metadata (15 ms), which every other command, a build with nothing to do
    included, would otherwise pay."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        print(f"{parser.prog} {_version()}")  # on standard output, as argparse's own version action
        parser.exit()


def _version() -> str:
    from importlib import metadata
    try:
        return metadata.version("site-builder")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


def _beside_content(args: argparse.Namespace, name: str) -> None:
    """Folders found next to the content unless given: a project is content/,
    templates/ and schemas/ side by side, wherever it is run from."""
    if getattr(args, name, False) is None:
        setattr(args, name, args.content.absolute().parent / name)


def _print_problems(problems: list[Problem], quiet: bool, content: Path) -> None:
    for problem in as_seen_from(problems, content):
        if problem.severity == "error" or not quiet:
            print(problem, file=sys.stderr)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if errors:
        print(f"{errors} error(s), {warnings} warning(s): nothing was written.", file=sys.stderr)


def _logger(args: argparse.Namespace):
    if args.verbose:  # each step, with the memory used so far (for whoever tunes the build)
        import resource
        return lambda message: print(f"{message} [peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB]",
                                     file=sys.stderr)
    return lambda message: None


def _status(args: argparse.Namespace) -> int:
    from .status import format_report, lock_path, mark_synced, translation_status
    if args.mark_synced is not None:
        if not args.content.is_dir():
            print(f"error: {args.content}: content folder not found", file=sys.stderr)
            return 2
        recorded, unknown = mark_synced(args.content, args.mark_synced or None)
        if unknown:
            print(f"error: no entry {', '.join(unknown)} (write KIND:ID, e.g. actor:iai, or 'site')", file=sys.stderr)
            return 2
        print(f"Marked {recorded} text field(s) as in sync in {lock_path(args.content)}.")
        return 0
    try:
        print(format_report(translation_status(args.content)), flush=True)
    except BrokenPipeError:  # `site-builder status | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0  # a report, not a check: `site-builder check` is the gate


def _init(folder: Path) -> int:
    from .new_explainer import InitError, init_explainer
    try:
        made = init_explainer(folder)
    except InitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    shown = os.path.relpath(made) if not os.path.relpath(made).startswith("..") else str(made)
    print(f"Created a new explainer in {shown}/ (content/, templates/, schemas/, .gitignore). Next:\n"
          f"  cd {shown}\n"
          "  site-builder check --strict   # validate the content\n"
          "  site-builder serve            # preview on http://127.0.0.1:8000/, rebuilt as you edit\n"
          "  site-builder build            # write the site into build/\n"
          "Replace the example entries in content/ and set base_url in content/site.yaml before publishing.")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for folder in ("templates", "schemas"):
        _beside_content(args, folder)
    if args.command == "init":
        return _init(args.folder)
    if args.command == "new":
        from .scaffold import ScaffoldError, new_entry
        try:
            path = new_entry(args.kind, args.id, args.content, args.schemas, datetime.date.today().year)
        except ScaffoldError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"Created {path}: fill in both languages and cite a source, then run site-builder check.")
        return 0
    from ..building.pipeline import BuildConfig, build, check
    from ..building.write import OutputError
    if args.command == "serve":
        from .serve import serve
        return serve(BuildConfig(args.content, args.out, args.templates, search=args.search), args.port)
    if args.command == "status":
        return _status(args)
    if args.command == "schema":
        from ..content.schema import write_schemas
        written = write_schemas(args.out)
        print(f"Wrote {len(written)} schemas to {args.out}/")
        return 0
    try:
        if args.command == "check":
            site, problems = check(args.content, args.strict, _logger(args))
            _print_problems(problems, args.quiet, args.content)
            if not args.quiet:
                counts = ", ".join(f"{site.library.count(k)} {k}" for k in site.library.entries)
                print(f"Content is valid: {counts}; {len(problems)} warning(s).")
            return 0
        config = BuildConfig(args.content, args.out, args.templates, args.base_url, args.strict, args.search,
                             max(0, args.jobs))
        report = build(config, _logger(args),
                       notice=(lambda message: None) if args.quiet else (lambda message: print(message, file=sys.stderr)))
        _print_problems(report.warnings, args.quiet, args.content)
        if not args.quiet:
            pages = ", ".join(f"{n} {lang}" for lang, n in report.pages.items())
            if report.skipped:
                print(f"Nothing changed since the last build of {args.out}/ ({sum(report.pages.values())} pages, "
                      f"{pages}); nothing to write.")
                return 0
            print(f"Built {sum(report.pages.values())} pages ({pages}), {report.files} files, "
                  f"{len(report.warnings)} warning(s) in {report.seconds:.2f} s → {args.out}/")
        return 0
    except ContentError as exc:
        _print_problems(exc.problems, args.quiet, args.content)
        return 1
    except (TemplateFailure, OutputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous build was left as it was", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
