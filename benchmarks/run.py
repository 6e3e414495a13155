#!/usr/bin/env python3
"""Build-time and memory benchmark of site-builder, through its command line.

    .venv/bin/python benchmarks/run.py                       # N = 500, 2000, 5000; 3 runs each
    .venv/bin/python benchmarks/run.py --sizes 500 2000 --runs 1 --json /tmp/results.json

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

and then edit-one-in-serve: another event edited and rebuilt the way `serve` does,
in one process that keeps its last build in memory (session_edit.py; the rebuild
alone is timed, inside that process).

After edit-one and add-one the output is checked (the new word is on the event's
page; the new event has a page and its actor's page links to it), so a future
incremental build that skips work it should do fails loudly instead of looking fast.

Each scenario is timed as wall-clock time of the whole command (interpreter start-up
included) and reported as the median over --runs, with its CPU time (user + system of
the build and every process it waited for) beside it: on a shared, busy machine the
CPU time is the steadier number, and the load average is recorded in the JSON. Memory: every build runs under a
fresh helper process that waits for it and reads `getrusage(RUSAGE_CHILDREN).ru_maxrss`
(the largest resident set of the build process or of any process it started and
waited for); the helper also samples the memory of the whole process tree every 50 ms
(Linux /proc: the resident set of a lone process, the sum of proportional set sizes
when there are several, so pages shared after fork count once), which is the number
that matters once builds run in parallel worker processes. Both in MB (10^6 bytes).

Results: a Markdown table on stdout, and JSON (--json, default benchmarks/results.json)
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
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SIZES = (500, 2000, 5000)
SCENARIOS = ("cold", "no-change", "edit-one", "add-one")
SERVE_SCENARIO = "edit-one-in-serve"  # after the four: see serve_edit
EDIT_WORD = "Remaniement"  # not in the generator's vocabulary: its presence proves the rebuild
ADDED_EVENT = "2024-06-30-benchmark-added-event"
SAMPLE_SECONDS = 0.05


# --- the measuring helper (runs in its own process, one per build) ---------------

def _tree_memory_bytes(pid: int, page: int) -> int:
    """Memory of `pid` and its descendants (Linux /proc); 0 once it is gone.

    A single process counts its resident set (statm, cheap). Several processes count
    the sum of their proportional set sizes (smaps_rollup's Pss), so pages shared after
    a fork are not counted twice; that read is slower, so it is done only then.
    """
    pids, stack = [], [pid]
    while stack:
        current = stack.pop()
        if current in pids:
            continue
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", "rb") as f:
                    stack.extend(int(child) for child in f.read().split())
        except (OSError, ValueError):
            continue
    total = 0
    for current in pids:
        try:
            if len(pids) > 1:
                with open(f"/proc/{current}/smaps_rollup", "rb") as f:
                    found = re.search(rb"^Pss:\s+(\d+) kB", f.read(), re.MULTILINE)
                if found:
                    total += int(found.group(1)) * 1024
                    continue
            with open(f"/proc/{current}/statm", "rb") as f:
                total += int(f.read().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
    return total


def _measure(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one command; return its wall time, exit status, output and memory peaks."""
    page = os.sysconf("SC_PAGE_SIZE")
    can_sample = Path("/proc/self/statm").exists()
    started = time.perf_counter()
    proc = subprocess.Popen(spec["cmd"], cwd=spec["cwd"], env=spec["env"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_memory_bytes(proc.pid, page))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    if can_sample:
        sampler.start()
    try:
        stdout, stderr = proc.communicate(timeout=spec["timeout"])
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        stderr += f"\n(benchmark: killed after {spec['timeout']} s)".encode()
    seconds = time.perf_counter() - started
    done.set()
    if can_sample:
        sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    return {
        "seconds": seconds,
        "returncode": proc.returncode,
        "max_rss_bytes": usage.ru_maxrss * scale,
        "tree_peak_bytes": peak[0] or None,
        "user_seconds": usage.ru_utime,
        "system_seconds": usage.ru_stime,
        "stdout": stdout.decode("utf-8", "replace")[-4000:],
        "stderr": stderr.decode("utf-8", "replace")[-4000:],
    }


def measure(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> dict[str, Any]:
    """`_measure` in a fresh helper process, so RUSAGE_CHILDREN covers this build only."""
    spec = {"cmd": [str(c) for c in cmd], "cwd": str(cwd), "env": env, "timeout": timeout}
    helper = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--_measure"],
                            input=json.dumps(spec), capture_output=True, text=True, check=False)
    if helper.returncode != 0:
        raise BenchmarkError(f"measuring helper failed: {helper.stderr.strip()[-2000:]}")
    return json.loads(helper.stdout)


class BenchmarkError(Exception):
    pass


# --- scenarios --------------------------------------------------------------------

def _remove_caches(work: Path) -> None:
    for path in (work / "out", work / ".cache", work / "content" / ".cache"):
        if path.is_dir():
            shutil.rmtree(path)
    for leftover in work.glob(".out.*"):  # staging folders of an interrupted atomic write
        shutil.rmtree(leftover, ignore_errors=True)


def edit_one_event(content: Path) -> str:
    """Change one word of the French summary of the middle event; return the event id."""
    events = sorted((content / "timeline").glob("*.yaml"))
    if not events:
        raise BenchmarkError(f"no events in {content}")
    path = events[len(events) // 2]
    lines = path.read_text(encoding="utf-8").split("\n")
    try:
        start = lines.index("summary:")
    except ValueError:
        raise BenchmarkError(f"{path}: no 'summary:' line (did the generator's format change?)") from None
    if lines[start + 1].strip() != "fr: >-":
        raise BenchmarkError(f"{path}: expected '  fr: >-' after 'summary:'")
    line = lines[start + 2]
    words = line.split(" ")
    for index, word in enumerate(words):
        before = " ".join(words[:index])
        if (re.fullmatch(r"[^\W\d_]{3,}", word) and before.count("[") == before.count("]")
                and before.count("(") == before.count(")")):
            words[index] = EDIT_WORD
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


def run_once(pristine: Path, work: Path, cli: list[str], env: dict[str, str], timeout: float) -> dict[str, Any]:
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
    results[SERVE_SCENARIO] = serve_edit(work, cli, env, timeout)
    return results


def serve_edit(work: Path, cli: list[str], env: dict[str, str], timeout: float) -> dict[str, Any]:
    """edit-one as `serve` rebuilds it: in one process that keeps its last build in
    memory (session_edit.py), timed inside that process, after a first build there."""
    python, options = cli[0], cli[cli.index("build") + 1:]
    helper = subprocess.run([python, str(HERE / "session_edit.py"), *options], cwd=work, env=env,
                            capture_output=True, text=True, timeout=timeout, check=False)
    if helper.returncode != 0:
        raise BenchmarkError(f"{SERVE_SCENARIO} failed:\n{helper.stderr[-2000:]}")
    result = json.loads(helper.stdout.strip().splitlines()[-1])
    page = work / "out" / "fr" / "chronologie" / result["edited"] / "index.html"
    _check(page.is_file() and result["word"] in page.read_text(encoding="utf-8"),
           f"the word edited in a session is not on {page.relative_to(work)}")
    return result


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
        "median_cpu_seconds": _median([r["cpu_seconds"] for r in serve]),
        "rendered": [r["rendered"] for r in serve],
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
                 "edit-one in serve: the rebuild alone, timed inside a process that keeps its last build "
                 "in memory, as `serve` does; "
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark site-builder builds on generated content.")
    parser.add_argument("--sizes", nargs="+", default=None, metavar="N",
                        help="entry counts, e.g. --sizes 500 2000 or --sizes 500,2000 "
                             f"(default: {' '.join(map(str, DEFAULT_SIZES))})")
    parser.add_argument("--runs", type=int, default=3, help="runs per size; medians are reported (default: 3)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default: 1)")
    parser.add_argument("--json", type=Path, default=HERE / "results.json", metavar="FILE",
                        help="where to write the results (default: benchmarks/results.json)")
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
    args = parser.parse_args(argv)
    try:
        sizes = _sizes(args.sizes) if args.sizes else list(DEFAULT_SIZES)
    except (ValueError, argparse.ArgumentTypeError) as exc:
        parser.error(str(exc))
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    sys.path.insert(0, str(HERE))
    import generate  # noqa: E402

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    cli = [args.python, "-m", "site_builder", "build", "--content", "content", "--out", "out",
           "--templates", str(args.templates.resolve()), *args.build_args]
    report: dict[str, Any] = {
        "schema": 1,
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
    print(f"Benchmarking sizes {sizes} × {args.runs} run(s) in {root}", file=sys.stderr)
    try:
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
                runs.append(run_once(pristine, work, cli, env, args.timeout))
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
                             for scenario in SCENARIOS}, SERVE_SCENARIO: run[SERVE_SCENARIO]} for run in runs],
            })
            report["results"][-1]["load_average_after"] = _loadavg()
            _write_json(args.json, report)  # after each size, so a long run leaves partial results
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        if report["results"]:
            _write_json(args.json, report)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"kept {root}", file=sys.stderr)

    print(markdown_table(report["results"]))
    git = report["git"] or {}
    m = report["machine"]
    print(f"\n{m['cpu_count']} CPUs ({m.get('cpu_model') or 'unknown model'}), "
          f"Python {(m['build_python'] or {}).get('python', '?')}, commit {str(git.get('commit'))[:12]}; "
          f"load average at start {m.get('load_average_at_start')}; "
          f"`site_builder --help` takes {m['cli_help_seconds']:.2f} s; median of {args.runs} run(s). "
          f"JSON: {args.json}")
    return 0


def _write_json(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--_measure"]:
        print(json.dumps(_measure(json.loads(sys.stdin.read()))))
        sys.exit(0)
    sys.exit(main())
