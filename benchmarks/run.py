#!/usr/bin/env python3
"""Build-time and memory benchmark of site-builder, through its command line.

    .venv/bin/python benchmarks/run.py                       # N = 500, 2000, 5000; 3 runs each
    .venv/bin/python benchmarks/run.py --sizes 500 2000 --runs 1 --json /tmp/results.json
    .venv/bin/python benchmarks/run.py --mode realistic --sizes 500 --runs 3   # see realistic_scenarios.py

Two modes. `--mode realistic` grows the project's real content/ to N entries
(realistic.py) and runs the scenarios of realistic_scenarios.py (a leaf edited, the
most-linked actor's summary and name edited, an entry added, then serve), each with and
without search. The default, `--mode synthetic`, is described here:

For each size N, synthetic content is generated once (benchmarks/generate.py, --seed),
then each run works on a fresh copy of it in its own folder and runs the CLI
(`python -m site_builder build --content content --out out --templates …`, cwd = that
folder) as a subprocess, for four scenarios in order:

  cold       fresh output folder, and no `.cache/` in the work folder, the content
             folder or next to the output (wherever a future cache may live)
  no-change  the same build again, nothing changed
  edit-one   one word changed in one event's summary (French)
  add-one    one new event file (linking an actor, an equipment item, a theme and
             citing a note, so backlink pages change too)

and then edit-one-in-serve: `site-builder serve` started in that folder and another
event edited while it runs, timed from the file write until serve announces the
rebuild on its live-reload stream (and until it serves the new page): serve_session.py.

After edit-one and add-one the output is checked (the new word is on the event's
page; the new event has a page and its actor's page links to it), so a future
incremental build that skips work it should do fails loudly instead of looking fast.

Each scenario is timed as wall-clock time of the whole command (interpreter start-up
included) and reported as the median over --runs, with its CPU time (user + system of
the build and every process it waited for) beside it: on a shared, busy machine the
CPU time is the steadier number, and the load average is recorded in the JSON. Memory: every
build runs under a fresh helper process (measure.py) that waits for it and reads `getrusage(RUSAGE_CHILDREN).ru_maxrss`
(the largest resident set of the build process or of any process it started and
waited for); the helper also samples the memory of the whole process tree every 50 ms
(Linux /proc: the resident set of a lone process, the sum of proportional set sizes
when there are several, so pages shared after fork count once), which is the number
that matters once builds run in parallel worker processes. Both in MB (10^6 bytes).

Results: a Markdown table on stdout, and JSON (--json, default benchmarks/results.json,
or results-realistic.json)
with every run, the machine (CPUs, memory, Python and library versions) and the git
commit (read from .git without running git). The OS file cache is not dropped: "cold"
means no build output and no tool cache, not a cold disk.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules, when run as a script
from measure import BenchmarkError, measure  # noqa: E402
from serve_session import ServeSession  # noqa: E402
import realistic_scenarios  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SIZES = (500, 2000, 5000)
SCENARIOS = ("cold", "no-change", "edit-one", "add-one")
SERVE_SCENARIO = "edit-one-in-serve"  # after the four: see serve_edit
EDIT_WORD = "Remaniement"  # not in the generator's vocabulary: its presence proves the rebuild
ADDED_EVENT = "2024-06-30-benchmark-added-event"


# --- scenarios --------------------------------------------------------------------

def _remove_caches(work: Path) -> None:
    for path in (work / "out", work / ".cache", work / "content" / ".cache"):
        if path.is_dir():
            shutil.rmtree(path)
    for leftover in work.glob(".out.*"):  # staging folders of an interrupted atomic write
        shutil.rmtree(leftover, ignore_errors=True)


def edit_one_event(content: Path, offset: int = 0, word: str = EDIT_WORD) -> str:
    """Change one word of the French summary of the middle event (or the one `offset`
    after it) to `word`; return the event id."""
    events = sorted((content / "timeline").glob("*.yaml"))
    if len(events) <= offset:
        raise BenchmarkError(f"not enough events in {content}")
    path = events[len(events) // 2 + offset]
    lines = path.read_text(encoding="utf-8").split("\n")
    try:
        start = lines.index("summary:")
    except ValueError:
        raise BenchmarkError(f"{path}: no 'summary:' line (did the generator's format change?)") from None
    if lines[start + 1].strip() != "fr: >-":
        raise BenchmarkError(f"{path}: expected '  fr: >-' after 'summary:'")
    line = lines[start + 2]
    words = line.split(" ")
    for index, candidate in enumerate(words):
        before = " ".join(words[:index])
        if (re.fullmatch(r"[^\W\d_]{3,}", candidate) and before.count("[") == before.count("]")
                and before.count("(") == before.count(")")):
            words[index] = word
            break
    else:
        raise BenchmarkError(f"{path}: no plain word to change on line {start + 3}")
    lines[start + 2] = " ".join(words)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path.stem


def add_one_event(content: Path) -> tuple[str, str]:
    """Write one new event file; return (its id, the actor it relates to)."""
    sys.path.insert(0, str(HERE))
    from generate import Block, to_yaml  # noqa: E402 - the generator's own YAML writer

    def first(folder: str) -> str:
        found = sorted((content / folder).glob("*.yaml"))
        if not found:
            raise BenchmarkError(f"no entries in {content / folder}")
        return found[0].stem

    actor, equipment, theme, source = first("actors"), first("equipment"), first("themes"), first("sources")
    note_file = (content / "notes" / f"{first('notes')}.yaml").read_text(encoding="utf-8")
    note = re.search(r"^\s*- id: (\S+)$", note_file, re.MULTILINE)
    if not note:
        raise BenchmarkError("no note id found in the first note file")
    text = {
        "fr": f"Un événement ajouté par le banc d'essai : [un acteur](actor:{actor}) commande des "
              f"[équipements](equipment:{equipment}) dans le cadre du thème [choisi](theme:{theme})"
              f"[^{note.group(1)}].",
        "en": f"An event added by the benchmark: [an actor](actor:{actor}) orders "
              f"[equipment](equipment:{equipment}) within the [chosen](theme:{theme}) theme"
              f"[^{note.group(1)}].",
    }
    data = {"id": ADDED_EVENT, "date": "2024-06-30",
            "title": {"fr": "Événement ajouté par le banc d'essai", "en": "Event added by the benchmark"},
            "summary": {lang: Block(value) for lang, value in text.items()},
            "themes": [theme], "actors": [actor], "equipment": [equipment], "sources": [source]}
    (content / "timeline" / f"{ADDED_EVENT}.yaml").write_text(to_yaml(data), encoding="utf-8")
    return ADDED_EVENT, actor


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise BenchmarkError(f"output check failed: {message}")


def _count_pages(out: Path) -> tuple[int, int, int]:
    pages = files = size = 0
    for dirpath, _, names in os.walk(out):
        for name in names:
            files += 1
            pages += name.endswith(".html")
            size += os.path.getsize(os.path.join(dirpath, name))
    return pages, files, size


def run_once(pristine: Path, work: Path, cli: list[str], env: dict[str, str], timeout: float,
             serve_cli: list[str] | None = None) -> dict[str, Any]:
    """One run of the four scenarios on a fresh copy of the content."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(pristine, work / "content")
    out = work / "out"
    results: dict[str, Any] = {}

    def build(scenario: str) -> None:
        result = measure(cli, work, env, timeout)
        if result["returncode"] != 0:
            raise BenchmarkError(f"{scenario} build exited with {result['returncode']}:\n{result['stderr'][-2000:]}")
        found = re.search(r" in ([0-9.]+) s\b", result["stdout"])
        result["tool_reported_seconds"] = float(found.group(1)) if found else None
        results[scenario] = result

    _remove_caches(work)
    build("cold")
    _check((out / "index.html").is_file(), "no index.html after the cold build")
    results["cold"]["pages"], results["cold"]["files"], results["cold"]["output_bytes"] = _count_pages(out)
    build("no-change")
    edited = edit_one_event(work / "content")
    build("edit-one")
    page = out / "fr" / "chronologie" / edited / "index.html"
    _check(page.is_file() and EDIT_WORD in page.read_text(encoding="utf-8"),
           f"the edited word is not on {page.relative_to(work)}")
    added, actor = add_one_event(work / "content")
    build("add-one")
    _check((out / "en" / "timeline" / added / "index.html").is_file(), f"no page for the added event {added}")
    actor_page = out / "en" / "actors" / actor / "index.html"
    _check(actor_page.is_file() and f"/{added}/" in actor_page.read_text(encoding="utf-8"),
           f"{actor_page.relative_to(work)} does not link back to the added event")
    if serve_cli is not None:
        results[SERVE_SCENARIO] = serve_edit(work, serve_cli, env, timeout)
    return results


SERVE_WORD = "Remodelage"  # not EDIT_WORD (already written by edit-one): the file must change


def serve_edit(work: Path, serve_cli: list[str], env: dict[str, str], timeout: float) -> dict[str, Any]:
    """edit-one as `site-builder serve` meets it (serve_session.py): the server started in the
    work folder the command-line scenarios built, then another event edited; `seconds` runs
    from the file write until the reload event on /__reload, `page_seconds` until the event's
    page is served with the new word."""
    content = work / "content"
    edited: list[str] = []

    def edit() -> None:
        edited.append(edit_one_event(content, offset=1, word=SERVE_WORD))

    events = sorted((content / "timeline").glob("*.yaml"))
    page = f"/fr/chronologie/{events[len(events) // 2 + 1].stem}/"
    with ServeSession(serve_cli, work, env, timeout) as session:
        started = session.start()
        result = session.edit(edit, page, SERVE_WORD)
        stopped = session.stop()
    if not stopped["stopped_cleanly"]:
        raise BenchmarkError(f"serve did not stop cleanly within 30 s of SIGINT (exit status "
                             f"{stopped['returncode']}); its last lines:\n" + "\n".join(stopped["output_tail"]))
    return {**result, "edited": edited[0], "word": SERVE_WORD, "first_build_seconds": started["seconds"],
            "tree_peak_bytes": stopped["tree_peak_bytes"]}


# --- machine and repository ---------------------------------------------------

def git_commit(root: Path) -> dict[str, Any] | None:
    """The checked-out commit, read from .git (no git command is run)."""
    git = root / ".git"
    if git.is_file():  # a worktree: "gitdir: …"
        match = re.match(r"gitdir: (.+)", git.read_text().strip())
        git = (root / match.group(1)).resolve() if match else git
    try:
        head = (git / "HEAD").read_text().strip()
    except OSError:
        return None
    if not head.startswith("ref: "):
        return {"commit": head, "ref": None}
    ref = head[5:]
    common = git
    if (git / "commondir").is_file():
        common = (git / (git / "commondir").read_text().strip()).resolve()
    for base in (git, common):
        try:
            return {"commit": (base / ref).read_text().strip(), "ref": ref}
        except OSError:
            pass
        try:
            for line in (base / "packed-refs").read_text().splitlines():
                if line.endswith(" " + ref):
                    return {"commit": line.split(" ")[0], "ref": ref}
        except OSError:
            pass
    return {"commit": None, "ref": ref}


def source_digest(root: Path) -> str:
    """SHA-256 of the package and templates as they are on disk: the working tree may
    differ from the commit, and this tells two measured versions apart."""
    digest = hashlib.sha256()
    for folder in ("site_builder", "templates"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def machine(python: str, env: dict[str, str]) -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "platform": platform.platform(),
        "machine": platform.machine(),
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
        info["cpu_model"] = model.group(1).strip() if model else None
        memtotal = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
        info["memory_mb"] = round(int(memtotal.group(1)) * 1024 / 1e6) if memtotal else None
    except OSError:
        pass
    probe = ("import json, platform, importlib.metadata as m\n"
             "v = {}\n"
             "for d in ('jinja2', 'markdown-it-py', 'pydantic', 'pydantic-core', 'pyyaml', 'babel'):\n"
             "    try: v[d] = m.version(d)\n"
             "    except m.PackageNotFoundError: v[d] = None\n"
             "print(json.dumps({'python': platform.python_version(), 'implementation': "
             "platform.python_implementation(), 'packages': v}))")
    found = subprocess.run([python, "-c", probe], capture_output=True, text=True, env=env, check=False)
    info["build_python"] = json.loads(found.stdout) if found.returncode == 0 else None
    info["benchmark_python"] = platform.python_version()
    info["load_average_at_start"] = _loadavg()
    return info


def _loadavg() -> list[float] | None:
    """1, 5 and 15 minute load averages: wall times on a busy machine are not comparable."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


# --- report -------------------------------------------------------------------

def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for scenario in SCENARIOS:
        results = [run[scenario] for run in runs]
        summary[scenario] = {
            "median_seconds": _median([r["seconds"] for r in results]),
            "seconds": [round(r["seconds"], 3) for r in results],
            "median_tool_reported_seconds": _median([r["tool_reported_seconds"] for r in results]),
            "median_max_rss_mb": _mb(_median([r["max_rss_bytes"] for r in results])),
            "median_tree_peak_mb": _mb(_median([r["tree_peak_bytes"] for r in results])),
            "median_user_seconds": _median([r["user_seconds"] for r in results]),
            "median_system_seconds": _median([r["system_seconds"] for r in results]),
            "median_cpu_seconds": _median([r["user_seconds"] + r["system_seconds"] for r in results]),
        }
    serve = [run[SERVE_SCENARIO] for run in runs if SERVE_SCENARIO in run]
    summary[SERVE_SCENARIO] = {
        "median_seconds": _median([r["seconds"] for r in serve]),
        "seconds": [round(r["seconds"], 3) for r in serve],
        "median_page_seconds": _median([r["page_seconds"] for r in serve]),
        "median_cpu_seconds": _median([r["cpu_seconds"] for r in serve]),
        "median_tree_peak_mb": _mb(_median([r["tree_peak_bytes"] for r in serve])),
    }
    return summary


def _mb(value: float | None) -> float | None:
    return round(value / 1e6, 1) if value is not None else None


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def markdown_table(sizes: list[dict[str, Any]]) -> str:
    """One row per size; each build cell is "wall s (CPU s)", medians over the runs."""
    header = ("| N entries | + notes | pages | content MB | generate s | cold build | no-change rebuild "
              "| edit-one rebuild | add-one rebuild | edit-one in serve | peak RSS MB | peak tree MB |")
    lines = [header, "|" + "---:|" * (header.count(" | ") + 1)]
    for size in sizes:
        s = size["summary"]
        rss = max((s[k]["median_max_rss_mb"] or 0) for k in SCENARIOS)
        tree = max((s[k]["median_tree_peak_mb"] or 0) for k in SCENARIOS)
        cells = [f"{_fmt(s[k]['median_seconds'])} ({_fmt(s[k]['median_cpu_seconds'])})"
                 for k in (*SCENARIOS, SERVE_SCENARIO)]
        lines.append(
            f"| {size['entries']} | {size['counts']['note']} | {size['pages']} | {size['content_bytes'] / 1e6:.1f} "
            f"| {size['generate_seconds']:.2f} | " + " | ".join(cells) + f" | {rss:.0f} | {tree:.0f} |")
    lines.append("")
    lines.append("Build cells: wall-clock seconds of the CLI process (CPU seconds, user + system, in brackets); "
                 "edit-one in serve: from the file write until `site-builder serve` announces the rebuild "
                 "on /__reload (CPU of the server's process tree in brackets); "
                 "peak RSS: ru_maxrss, the largest single process, max over the four scenarios; "
                 "tree: sampled peak of the whole process tree (PSS summed when several processes), "
                 "which differs once builds use worker processes.")
    return "\n".join(lines)


# --- main ---------------------------------------------------------------------

def _sizes(values: list[str]) -> list[int]:
    sizes = [int(part) for value in values for part in value.split(",") if part.strip()]
    if not sizes or any(n < 30 for n in sizes):
        raise argparse.ArgumentTypeError("sizes must be whole numbers of at least 30")
    return sizes


def _run_synthetic(args: argparse.Namespace, sizes: list[int], root: Path, cli: list[str],
                   serve_cli: list[str] | None, env: dict[str, str], report: dict[str, Any]) -> None:
    import generate  # noqa: E402 - a sibling module (sys.path set at the top)

    for n in sizes:
        pristine = root / f"n{n}" / "content"
        started = time.perf_counter()
        generator = generate.Generator(n, args.seed)
        files = generator.generate()
        generate.write(files, pristine)
        generate_seconds = time.perf_counter() - started
        counts = generator.plan.as_dict()
        runs = []
        for number in range(args.runs):
            print(f"  N={n}: run {number + 1}/{args.runs}…", file=sys.stderr, flush=True)
            work = root / f"n{n}" / f"run{number + 1}"
            runs.append(run_once(pristine, work, cli, env, args.timeout, serve_cli))
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
            cold = runs[-1]["cold"]
            print("    " + ", ".join(f"{s} {runs[-1][s]['seconds']:.2f} s" for s in SCENARIOS)
                  + f"; peak RSS {cold['max_rss_bytes'] / 1e6:.0f} MB", file=sys.stderr, flush=True)
        first = runs[0]["cold"]
        report["results"].append({
            "entries": n,
            "counts": counts,
            "entries_with_notes": n + counts["note"],
            "content_files": len(files),
            "content_bytes": sum(len(t.encode("utf-8")) for t in files.values()),
            "generate_seconds": round(generate_seconds, 3),
            "pages": first["pages"], "output_files": first["files"], "output_bytes": first["output_bytes"],
            "summary": summarise(runs),
            "runs": [{**{scenario: {k: v for k, v in run[scenario].items() if k not in ("stdout", "stderr")}
                         for scenario in SCENARIOS},
                      **({SERVE_SCENARIO: run[SERVE_SCENARIO]} if SERVE_SCENARIO in run else {})} for run in runs],
        })
        report["results"][-1]["load_average_after"] = _loadavg()
        _write_json(args.json, report)  # after each size, so a long run leaves partial results


def realistic_module() -> Any:
    import realistic  # noqa: E402 - a sibling module (sys.path set at the top)
    return realistic


def _run_realistic(args: argparse.Namespace, sizes: list[int], root: Path, cli: list[str],
                   serve_cli: list[str], env: dict[str, str], report: dict[str, Any]) -> None:
    realistic = realistic_module()
    variants = {"both": (True, False), "on": (True,), "off": (False,)}[args.search]
    report["settings"].update({"content": str(args.content), "hub": args.hub, "search": args.search,
                               "verify": args.verify, "serve": not args.no_serve})
    for n in sizes:
        pristine = root / f"n{n}" / "content"
        started = time.perf_counter()
        files, plan = realistic.generate(args.content, n)
        realistic.write(files, pristine)
        generate_seconds = time.perf_counter() - started
        print(f"  N={n}: {plan.describe()}", file=sys.stderr, flush=True)
        for search in variants:
            build = [c for c in cli if c != "--no-search"] + ([] if search else ["--no-search"]) + ["--verbose"]
            serve = None if args.no_serve else [c for c in serve_cli if c != "--no-search"] + (
                [] if search else ["--no-search"])
            load_before = _loadavg()
            runs = []
            for number in range(args.runs):
                print(f"  N={n}, search {'on' if search else 'off'}: run {number + 1}/{args.runs}…",
                      file=sys.stderr, flush=True)
                work = root / f"n{n}" / f"{'search' if search else 'no-search'}-run{number + 1}"
                runs.append(realistic_scenarios.run_once(pristine, work, build, serve, env, args.timeout,
                                                         hub=args.hub, verify=args.verify))
                if not args.keep:
                    shutil.rmtree(work, ignore_errors=True)
                run = runs[-1]
                print("    " + ", ".join(f"{s} {run[s]['seconds']:.2f} s" for s in
                                         (*realistic_scenarios.CLI_SCENARIOS, *realistic_scenarios.SERVE_SCENARIOS)
                                         if s in run), file=sys.stderr, flush=True)
            report["results"].append({
                "entries": n, "search": search, "plan": vars(plan),
                "content_files": len(files), "content_bytes": sum(len(b) for b in files.values()),
                "generate_seconds": round(generate_seconds, 3),
                "pages": runs[0]["cold"]["pages"],
                "leaf": runs[0]["leaf"], "hub": runs[0]["hub"], "listing_page": runs[0]["listing_page"],
                "summary": realistic_scenarios.summarise(runs),
                "runs": runs,
                "load_average_before": load_before, "load_average_after": _loadavg(),
            })
            _write_json(args.json, report)  # after each variant, so a long run leaves partial results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark site-builder builds on generated content.")
    parser.add_argument("--sizes", nargs="+", default=None, metavar="N",
                        help="entry counts, e.g. --sizes 500 2000 or --sizes 500,2000 "
                             f"(default: {' '.join(map(str, DEFAULT_SIZES))})")
    parser.add_argument("--runs", type=int, default=3, help="runs per size; medians are reported (default: 3)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default: 1)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                        help="where to write the results (default: benchmarks/results.json, "
                             "or results-realistic.json with --mode realistic)")
    default_python = ROOT / ".venv" / "bin" / "python"
    parser.add_argument("--python", default=str(default_python if default_python.exists() else sys.executable),
                        help="interpreter that runs `-m site_builder` (default: the project's .venv)")
    parser.add_argument("--templates", type=Path, default=ROOT / "templates",
                        help="templates folder passed to the build (default: the project's templates/)")
    parser.add_argument("--workdir", type=Path, default=None, help="parent of the temporary folder (default: system temp)")
    parser.add_argument("--keep", action="store_true", help="keep the generated content and builds")
    parser.add_argument("--build-arg", action="append", default=[], metavar="ARG", dest="build_args",
                        help="extra argument for `site_builder build`, repeatable, e.g. --build-arg=--no-search")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per build (default: 1800)")
    parser.add_argument("--mode", choices=("synthetic", "realistic"), default="synthetic",
                        help="synthetic: generate.py's content (default); realistic: the real content/ grown "
                             "to N entries by realistic.py, with hub edits, each with and without search")
    realistic = parser.add_argument_group("realistic mode")
    realistic.add_argument("--content", type=Path, default=ROOT / "content",
                           help="content folder to grow (default: the project's content/)")
    realistic.add_argument("--search", choices=("both", "on", "off"), default="both",
                           help="build with Pagefind (on), with --no-search (off), or both in turn (default)")
    realistic.add_argument("--hub", default=realistic_scenarios.DEFAULT_HUB,
                           help="actor whose summary and name are edited (default: %(default)s)")
    realistic.add_argument("--verify", action="store_true",
                           help="after the command-line scenarios and after serve, compare the output with a "
                                "clean build (byte for byte, Pagefind's files aside); costs two cold builds a run")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve scenarios")
    args = parser.parse_args(argv)
    try:
        sizes = _sizes(args.sizes) if args.sizes else list(DEFAULT_SIZES)
    except (ValueError, argparse.ArgumentTypeError) as exc:
        parser.error(str(exc))
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.json is None:
        args.json = HERE / ("results.json" if args.mode == "synthetic" else "results-realistic.json")

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    templates = str(args.templates.resolve())
    cli = [args.python, "-m", "site_builder", "build", "--content", "content", "--out", "out",
           "--templates", templates, *args.build_args]
    serve_cli = [args.python, "-m", "site_builder", "serve", "--port", "0", "--content", "content", "--out", "out",
                 "--templates", templates, *(["--no-search"] if "--no-search" in args.build_args else [])]
    report: dict[str, Any] = {
        "schema": 2,
        "mode": args.mode,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "git": git_commit(ROOT),
        "source_sha256": source_digest(ROOT),
        "machine": machine(args.python, env),
        "settings": {"sizes": sizes, "runs": args.runs, "seed": args.seed, "command": cli[1:],
                     "timing": "wall clock of the whole CLI process, median over runs",
                     "memory": "ru_maxrss of the build (largest single process) and sampled peak of the "
                               "process tree (RSS of a lone process, summed PSS of several), MB = 10^6 bytes"},
        "results": [],
    }
    startup = [measure([args.python, "-m", "site_builder", "--help"], ROOT, env, 120)["seconds"] for _ in range(3)]
    report["machine"]["cli_help_seconds"] = round(statistics.median(startup), 3)

    root = Path(tempfile.mkdtemp(prefix="site-builder-bench-", dir=args.workdir))
    print(f"Benchmarking ({args.mode}) sizes {sizes} × {args.runs} run(s) in {root}", file=sys.stderr)
    try:
        if args.mode == "synthetic":
            _run_synthetic(args, sizes, root, cli, None if args.no_serve else serve_cli, env, report)
        else:
            _run_realistic(args, sizes, root, cli, serve_cli, env, report)
    except (BenchmarkError, realistic_module().CloneError) as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        if report["results"]:
            _write_json(args.json, report)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"kept {root}", file=sys.stderr)

    table = markdown_table if args.mode == "synthetic" else realistic_scenarios.markdown_table
    print(table(report["results"]))
    git = report["git"] or {}
    m = report["machine"]
    print(f"\n{m['cpu_count']} CPUs ({m.get('cpu_model') or 'unknown model'}), "
          f"Python {(m['build_python'] or {}).get('python', '?')}, commit {str(git.get('commit'))[:12]}; "
          f"load average at start {m.get('load_average_at_start')}, at the end {_loadavg()}; "
          f"`site_builder --help` takes {m['cli_help_seconds']:.2f} s; median of {args.runs} run(s). "
          f"JSON: {args.json}")
    return 0


def _write_json(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
