"""The scenarios of `run.py --mode realistic`, on content grown by realistic.py.

Per run, on a fresh copy of the grown content, with or without search (the same scenarios
twice: `build` runs Pagefind by default, `--no-search` skips it):

  cold              no output folder and no cache
  no-change         the same build again
  edit-leaf         one word of the English summary of a leaf: a cloned event that no
                    other entry names (only lists show it)
  edit-hub-summary  one word of the English summary of the hub, the most-linked actor
                    (`azerbaijan`: every clone of an entry that names it adds a link)
  edit-hub-name     the hub's English name (shown on every page that lists or names it)
  add-one           a new event that names the hub and cites a footnote

then the same kind of edits through `site-builder serve` (serve_session.py):

  serve-start              from starting the command until it serves its first build
  serve-edit-leaf          from the file write until the reload event, and until the page
  serve-edit-hub-summary   is served with the new word

Every edit is checked in the output (the word on the edited entry's page; the new name on
the hub's page and on a page that lists it; the new event's page, and the hub's page
linking to it), so a build that skips needed work fails instead of looking fast. With
`verify`, the output is compared after the command-line scenarios and after the serve
session with a clean build of the same content into another folder (byte for byte,
Pagefind's own files aside): the incremental == clean oracle on realistic content.
"""
from __future__ import annotations

import filecmp
import os
import re
import shutil
import statistics
from pathlib import Path
from typing import Any, Callable

from measure import BenchmarkError, measure
from serve_session import ServeSession

CLI_SCENARIOS = ("cold", "no-change", "edit-leaf", "edit-hub-summary", "edit-hub-name", "add-one")
SERVE_SCENARIOS = ("serve-start", "serve-edit-leaf", "serve-edit-hub-summary")
DEFAULT_HUB = "azerbaijan"
# Words that are in no entry of the real content: their presence proves the rebuild.
LEAF_WORD, HUB_WORD = "Leafedited", "Hubedited"
SERVE_LEAF_WORD, SERVE_HUB_WORD = "Leafserved", "Hubserved"
NAME_PREFIX = "Renamed"  # the hub's English name becomes "Renamed Azerbaijan"
ADDED_EVENT = "2026-12-benchmark-added-event"
# URL sections in English (the page checks read the English pages)
EN_SECTION = {"timeline": "timeline", "actors": "actors"}
_PLAIN_WORD = re.compile(r"[^\W\d_]{3,}")
_CLONE = re.compile(r"-c[0-9]{4}$")
STEP = re.compile(r"^([a-z][a-z+ -]*): [^\n]*? in ([0-9]+(?:\.[0-9]+)?) s\b", re.MULTILINE)


# --- finding the entries to edit ----------------------------------------------------


def find_leaf(content: Path) -> str:
    """A cloned event whose id no other file mentions (the last one, in file order)."""
    clones = sorted(p for p in (content / "timeline").glob("*.yaml") if _CLONE.search(p.stem))
    if not clones:
        raise BenchmarkError(f"{content}: no cloned event (is this realistic.py's content, with N above the originals?)")
    mentioned = set()
    ids = {p.stem for p in clones}
    for path in content.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        mentioned.update(found for found in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*-c[0-9]{4}", text)
                         if found in ids and found != path.stem)
    for path in reversed(clones):
        if path.stem not in mentioned and _english_block(path.read_text(encoding="utf-8").split("\n"), "summary"):
            return path.stem
    raise BenchmarkError(f"{content}: every cloned event is named by another entry")


def find_listing_page(content: Path, hub: str) -> str:
    """An original event that lists the hub among its actors: its page shows the hub's name."""
    events = sorted((content / "timeline").glob("*.yaml"), key=lambda p: (_CLONE.search(p.stem) is not None, p.stem))
    for path in events:
        actors = re.search(r"^actors: \[([^\]]*)\]", path.read_text(encoding="utf-8"), re.MULTILINE)
        if actors and hub in [a.strip() for a in actors.group(1).split(",")]:
            return path.stem
    raise BenchmarkError(f"{content}: no event lists actor {hub!r} in 'actors: [...]'")


# --- edits (as text: the files are the editors' YAML) --------------------------------


def _english_block(lines: list[str], field: str) -> tuple[int, int] | None:
    """(first, end) line indices of the English text of the top-level `field`, or None."""
    try:
        start = lines.index(f"{field}:")
    except ValueError:
        return None
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line and not line.startswith(" "):
            return None  # the next top-level key: no English text
        found = re.match(r"^(\s+)en:(.*)$", line)
        if not found:
            continue
        indent, rest = found.group(1), found.group(2).strip()
        if rest in (">-", ">", "|", "|-"):
            end = index + 1
            while end < len(lines) and (not lines[end].strip() or lines[end].startswith(indent + " ")):
                end += 1
            return index + 1, end
        return index, index + 1
    return None


def replace_english_word(path: Path, field: str, word: str) -> None:
    """Replace the first plain word (outside links and footnote calls) of the English
    text of `field` in the file at `path` by `word`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    block = _english_block(lines, field)
    if block is None:
        raise BenchmarkError(f"{path}: no English text under '{field}:'")
    for number in range(*block):
        line = lines[number]
        for found in _PLAIN_WORD.finditer(line):
            before = line[:found.start()]
            if before.count("[") != before.count("]") or before.count("(") != before.count(")"):
                continue  # inside a link's text or target, or a footnote call
            lines[number] = line[:found.start()] + word + line[found.end():]
            path.write_text("\n".join(lines), encoding="utf-8")
            return
    raise BenchmarkError(f"{path}: no plain word to replace in the English '{field}'")


def rename_english(path: Path, prefix: str) -> str:
    """Prefix the English name of the entry at `path`; return the new English name."""
    text = path.read_text(encoding="utf-8")
    flow = re.search(r"^name: \{fr: ([^,{}]+), en: ([^,{}]+)\}[ \t]*$", text, re.MULTILINE)
    block = re.search(r"^name:\n(\s+)fr: (.+)\n\1en: (.+)$", text, re.MULTILINE)
    plain = re.search(r"^name: ([^{\n][^\n]*)$", text, re.MULTILINE)
    if flow:
        new = f"{prefix} {flow.group(2).strip()}"
        text = text[:flow.start()] + f"name: {{fr: {flow.group(1)}, en: {new}}}" + text[flow.end():]
    elif block:
        new = f"{prefix} {block.group(3).strip()}"
        text = text[:block.start(3)] + new + text[block.end(3):]
    elif plain and not plain.group(1).startswith(("'", '"')):
        old = plain.group(1).strip()
        new = f"{prefix} {old}"
        text = text[:plain.start()] + f"name: {{fr: {old}, en: {new}}}" + text[plain.end():]
    else:
        raise BenchmarkError(f"{path}: no 'name:' this benchmark can edit")
    path.write_text(text, encoding="utf-8")
    return new


def add_event(content: Path, hub: str) -> str:
    """Write a new event naming the hub and citing the first footnote; return its id."""
    note = None
    for path in sorted((content / "notes").glob("*.yaml")):
        found = re.search(r"^\s*- id: (\S+)\s*$", path.read_text(encoding="utf-8"), re.MULTILINE)
        if found:
            note = found.group(1)
            break
    if note is None:
        raise BenchmarkError(f"{content}: no footnote to cite")
    theme = sorted((content / "themes").glob("*.yaml"))[0].stem
    source = sorted((content / "sources").glob("*.yaml"))[0].stem
    text = (f"id: {ADDED_EVENT}\nadded: 2026-12-06\ndate: 2026-12\n"
            "title:\n  fr: Événement ajouté par le banc d'essai\n  en: Event added by the benchmark\n"
            "summary:\n"
            f"  fr: >-\n    Un événement ajouté par le banc d'essai, qui nomme l'[acteur le plus lié](actor:{hub})"
            f"[^{note}].\n"
            f"  en: >-\n    An event added by the benchmark, naming the [most-linked actor](actor:{hub})[^{note}].\n"
            f"themes: [{theme}]\nactors: [{hub}]\nsources: [{source}]\n")
    (content / "timeline" / f"{ADDED_EVENT}.yaml").write_text(text, encoding="utf-8")
    return ADDED_EVENT


# --- checks --------------------------------------------------------------------------


def _page(out: Path, folder: str, entry: str) -> Path:
    return out / "en" / EN_SECTION[folder] / entry / "index.html"


def check_page(out: Path, folder: str, entry: str, expected: str, scenario: str) -> None:
    page = _page(out, folder, entry)
    if not page.is_file():
        raise BenchmarkError(f"{scenario}: no page {page}")
    if expected not in page.read_text(encoding="utf-8"):
        raise BenchmarkError(f"{scenario}: {expected!r} is not on {page} (did the build skip needed work?)")


def compare_with_clean_build(work: Path, out: Path, cli: list[str], env: dict[str, str], timeout: float,
                             scenario: str) -> None:
    """The incremental output equals a clean build of the same content (Pagefind's files aside).

    The clean build runs in a folder of its own with a copy of the content, so that no cache
    of the incremental builds can reach it wherever the tool keeps its cache."""
    clean = work / "clean-check"
    if clean.exists():
        shutil.rmtree(clean)
    shutil.copytree(work / "content", clean / "content")
    try:
        result = measure(cli, clean, env, timeout)
        if result["returncode"] != 0:
            raise BenchmarkError(f"clean build for the check after {scenario} failed:\n{result['stderr'][-2000:]}")
        differences = _tree_differences(out, clean / "out")
    finally:
        shutil.rmtree(clean, ignore_errors=True)
    if differences:
        raise BenchmarkError(f"after {scenario}, the output differs from a clean build: "
                             + ", ".join(differences[:10])
                             + (f" and {len(differences) - 10} more" if len(differences) > 10 else ""))


def _tree_differences(a: Path, b: Path) -> list[str]:
    def files(root: Path) -> set[str]:
        found = set()
        for dirpath, dirnames, names in os.walk(root):
            dirnames[:] = [d for d in dirnames if d != "pagefind"]
            found.update(os.path.relpath(os.path.join(dirpath, n), root) for n in names)
        return found

    left, right = files(a), files(b)
    differences = [f"only in the incremental output: {p}" for p in sorted(left - right)]
    differences += [f"only in the clean build: {p}" for p in sorted(right - left)]
    differences += [f"differs: {p}" for p in sorted(left & right)
                    if not filecmp.cmp(a / p, b / p, shallow=False)]
    return differences


def build_steps(output: str) -> dict[str, float]:
    """The seconds of each step `build --verbose` reports ("render: 29 pages … in 0.61 s"),
    where the time of a build goes; empty if the tool prints no such lines."""
    return {name: float(seconds) for name, seconds in STEP.findall(output)}


# --- one run -------------------------------------------------------------------------


def run_once(pristine: Path, work: Path, build_cli: list[str], serve_cli: list[str] | None, env: dict[str, str],
             timeout: float, hub: str = DEFAULT_HUB, verify: bool = False) -> dict[str, Any]:
    """The CLI scenarios, then (unless `serve_cli` is None) the serve scenarios, on a fresh copy."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    content, out = work / "content", work / "out"
    shutil.copytree(pristine, content)
    hub_file = content / "actors" / f"{hub}.yaml"
    if not hub_file.is_file():
        raise BenchmarkError(f"no hub actor {hub_file}")
    leaf = find_leaf(content)
    listing = find_listing_page(content, hub)
    results: dict[str, Any] = {"leaf": leaf, "hub": hub, "listing_page": listing}

    def build(scenario: str, edit: Callable[[], Any] | None = None) -> None:
        if edit is not None:
            edit()
        result = measure(build_cli, work, env, timeout)
        if result["returncode"] != 0:
            raise BenchmarkError(f"{scenario} build exited with {result['returncode']}:\n{result['stderr'][-2000:]}")
        results[scenario] = {k: v for k, v in result.items() if k not in ("stdout", "stderr")}
        results[scenario]["steps"] = build_steps(result["stderr"] + "\n" + result["stdout"])

    build("cold")
    if not (out / "index.html").is_file():
        raise BenchmarkError("no index.html after the cold build")
    results["cold"]["pages"] = sum(1 for _ in out.rglob("*.html"))
    build("no-change")
    build("edit-leaf", lambda: replace_english_word(content / "timeline" / f"{leaf}.yaml", "summary", LEAF_WORD))
    check_page(out, "timeline", leaf, LEAF_WORD, "edit-leaf")
    build("edit-hub-summary", lambda: replace_english_word(hub_file, "summary", HUB_WORD))
    check_page(out, "actors", hub, HUB_WORD, "edit-hub-summary")
    new_name: list[str] = []
    build("edit-hub-name", lambda: new_name.append(rename_english(hub_file, NAME_PREFIX)))
    check_page(out, "actors", hub, new_name[0], "edit-hub-name")
    check_page(out, "timeline", listing, new_name[0], "edit-hub-name")
    build("add-one", lambda: add_event(content, hub))
    check_page(out, "timeline", ADDED_EVENT, "benchmark", "add-one")
    check_page(out, "actors", hub, f"/{ADDED_EVENT}/", "add-one")
    if verify:
        compare_with_clean_build(work, out, build_cli, env, timeout, "the command-line scenarios")
    if serve_cli is None:
        return results

    with ServeSession(serve_cli, work, env, timeout) as session:
        results["serve-start"] = session.start()
        results["serve-edit-leaf"] = session.edit(
            lambda: replace_english_word(content / "timeline" / f"{leaf}.yaml", "summary", SERVE_LEAF_WORD),
            f"/en/timeline/{leaf}/", SERVE_LEAF_WORD)
        results["serve-edit-hub-summary"] = session.edit(
            lambda: replace_english_word(hub_file, "summary", SERVE_HUB_WORD),
            f"/en/actors/{hub}/", SERVE_HUB_WORD)
        stopped = session.stop()
    results["serve-start"].update(stopped)
    if not stopped["stopped_cleanly"]:
        raise BenchmarkError(f"serve did not stop cleanly within 30 s of SIGINT (exit status "
                             f"{stopped['returncode']}); its last lines:\n" + "\n".join(stopped["output_tail"]))
    if verify:
        compare_with_clean_build(work, out, build_cli, env, timeout, "the serve session")
    return results


# --- report --------------------------------------------------------------------------


def _median(values: list[Any]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for scenario in CLI_SCENARIOS:
        results = [run[scenario] for run in runs]
        summary[scenario] = {
            "median_seconds": _median([r["seconds"] for r in results]),
            "seconds": [round(r["seconds"], 3) for r in results],
            "median_cpu_seconds": _median([r["user_seconds"] + r["system_seconds"] for r in results]),
            "median_rendered_pages": _median([r.get("rendered_pages") for r in results]),
            "median_max_rss_mb": _mb(_median([r["max_rss_bytes"] for r in results])),
            "median_tree_peak_mb": _mb(_median([r["tree_peak_bytes"] for r in results])),
        }
    for scenario in SERVE_SCENARIOS:
        results = [run[scenario] for run in runs if scenario in run]
        if not results:
            continue
        summary[scenario] = {
            "median_seconds": _median([r["seconds"] for r in results]),
            "seconds": [round(r["seconds"], 3) for r in results],
            "median_page_seconds": _median([r.get("page_seconds") for r in results]),
            "median_cpu_seconds": _median([r.get("cpu_seconds") for r in results]),
        }
    serve_peaks = [run["serve-start"].get("tree_peak_bytes") for run in runs if "serve-start" in run]
    if serve_peaks:
        summary["serve-start"]["median_tree_peak_mb"] = _mb(_median(serve_peaks))
    return summary


def _mb(value: float | None) -> float | None:
    return round(value / 1e6, 1) if value is not None else None


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """One row per (N, search); build cells "wall s (CPU s) · pages rendered"."""
    header = ("| N | search | pages | cold | nothing changed | edit leaf | edit hub summary | edit hub name "
              "| add one | serve: first build | serve: edit leaf | serve: edit hub summary | peak MB, all processes |")
    lines = [header, "|---:|:---|" + "---:|" * (header.count(" | ") - 1)]
    for row in rows:
        s = row["summary"]
        cells = []
        for scenario in CLI_SCENARIOS:
            cell = f"{_fmt(s[scenario]['median_seconds'])} ({_fmt(s[scenario]['median_cpu_seconds'])})"
            rendered = s[scenario]["median_rendered_pages"]
            cells.append(cell + (f" · {rendered:.0f} p" if rendered is not None else ""))
        if "serve-start" in s:
            cells.append(_fmt(s["serve-start"]["median_seconds"]))
            for scenario in SERVE_SCENARIOS[1:]:
                cells.append(f"{_fmt(s[scenario]['median_seconds'])} / {_fmt(s[scenario]['median_page_seconds'])}"
                             f" ({_fmt(s[scenario]['median_cpu_seconds'])})")
        else:
            cells += ["–"] * len(SERVE_SCENARIOS)
        peak = max([s[k]["median_tree_peak_mb"] or 0 for k in CLI_SCENARIOS]
                   + [s.get("serve-start", {}).get("median_tree_peak_mb") or 0])
        lines.append(f"| {row['entries']:,} | {'yes' if row['search'] else 'no'} | {row['pages']:,} | "
                     + " | ".join(cells) + f" | {peak:.0f} |")
    lines.append("")
    lines.append("Command-line cells: median wall-clock seconds of the whole `site-builder build` process (CPU "
                 "seconds, user + system of the build and its workers, in brackets) · pages the build says it "
                 "rendered (`--verbose`). Serve cells: seconds from the file write until the reload event on "
                 "`/__reload` / until the edited page is served with the new text (CPU seconds of the server's "
                 "process tree). Peak: sampled peak memory of all processes of a build or of the serve session "
                 "(summed PSS), the largest over the scenarios, MB = 10^6 bytes.")
    return "\n".join(lines)
