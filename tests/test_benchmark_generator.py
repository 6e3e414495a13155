"""The benchmark's content generator (benchmarks/generate.py) writes valid content:
`check` passes with no warning, the site builds, the YAML means exactly what the
generator intended, and one seed always gives the same bytes."""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.content.yaml_source import load_file

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "benchmarks" / "generate.py"
N = 60


def _generate(out: Path, seed: int = 1, entries: int = N) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GENERATOR), "--entries", str(entries), "--out", str(out),
                           "--seed", str(seed), "--quiet"],
                          capture_output=True, text=True, timeout=120, check=False)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generator_module():
    spec = importlib.util.spec_from_file_location("benchmark_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


def test_generated_content_checks_without_warnings_and_builds(tmp_path, run_cli, templates_dir):
    generated = _generate(tmp_path / "content")
    assert generated.returncode == 0, generated.stderr

    checked = run_cli("check", "--content", "content", "--strict", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""
    assert "; 0 warning(s)." in checked.stdout
    # every kind is present, notes included (3 per source)
    for kind in ("theme", "event", "equipment", "actor", "source", "note", "dataset"):
        assert f" {kind}" in checked.stdout
    built = run_cli("build", "--content", "content", "--out", "build", "--templates", templates_dir, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "0 warning(s)" in built.stdout
    assert (tmp_path / "build" / "en" / "timeline" / "index.html").is_file()
    assert len(list((tmp_path / "build" / "fr" / "chronologie").glob("*/index.html"))) > 10


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(tmp_path):
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        result = _generate(tmp_path / name, seed)
        assert result.returncode == 0, result.stderr
    first, second, other = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert first == second
    assert first != other


def test_yaml_written_means_what_the_generator_intended(tmp_path, generator_module):
    """Quoting is safe: the project's strict YAML reader gets back exactly the data generated."""
    documents = generator_module.Generator(N, 3).documents()
    for relative, data in documents.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generator_module.to_yaml(data), encoding="utf-8")
        source, problems = load_file(path, relative)
        assert problems == [], relative
        assert source.data == generator_module.plain_data(data), relative


def test_proportions_and_prose(generator_module):
    plan = generator_module.plan(2000)
    assert plan.entries == 2000
    assert plan.notes == 3 * plan.sources
    assert plan.themes == 12 and 2 <= plan.datasets <= 5
    assert (plan.events, plan.actors, plan.equipment, plan.sources) == (992, 441, 331, 220)
    documents = generator_module.Generator(N, 1).documents()
    event = next(data for path, data in documents.items() if path.startswith("timeline/"))
    for lang in ("fr", "en"):
        prose = str(event["summary"][lang]) + " " + str(event["body"][lang])
        assert prose.count("[^") == 3
        assert prose.count("](") == 3
        assert 200 <= len(prose.split()) <= 330


def test_tricky_strings_are_quoted(generator_module):
    to_yaml = generator_module.to_yaml
    text = to_yaml({"a": "no", "b": "010", "c": "1e5", "d": "x: y # z", "e": '"quoted" \\ back', "f": "2023-10-04",
                    "g": ["on", "ok-id"], "date": "2023-10-04"})
    assert text == ('a: "no"\nb: "010"\nc: "1e5"\nd: "x: y # z"\ne: "\\"quoted\\" \\\\ back"\nf: "2023-10-04"\n'
                    'g: ["on", ok-id]\ndate: 2023-10-04\n')


def test_check_reads_on_every_core_and_reports_exactly_what_one_core_reports(tmp_path):
    """`site-builder check` reads files in worker processes, as a build does, once there
    are enough of them (reading.MIN_FILES_PER_WORKER): the same problems, in the same order."""
    from site_builder.building.pipeline import ContentError, check
    from site_builder.building.reading import MIN_FILES_PER_WORKER
    content = tmp_path / "content"
    assert _generate(content, entries=400).returncode == 0
    assert len(list(content.rglob("*.yaml"))) >= 2 * MIN_FILES_PER_WORKER
    events = sorted((content / "timeline").glob("*.yaml"))
    for event in (events[3], events[-3]):  # one mistake early and one late in the reading order
        event.write_text(event.read_text(encoding="utf-8").replace("\ndate: ", "\ndat: ", 1), encoding="utf-8")
    reports = []
    for jobs in (1, 2):
        with pytest.raises(ContentError) as raised:
            check(content, jobs=jobs)
        reports.append([str(problem) for problem in raised.value.problems])
    assert reports[0] == reports[1]
    assert sum("unknown field 'dat'" in line for line in reports[0]) == 2


# --- the realistic mode: the real content/ grown by cloning (benchmarks/realistic.py) -----

REALISTIC = ROOT / "benchmarks" / "realistic.py"
CLONE_SUFFIX = re.compile(r"-c([0-9]{4})$")
LINK = re.compile(r"\]\((?:theme|event|equipment|actor|source|dataset):([a-z0-9-]+)(?:#[^)]*)?\)")
CITATION = re.compile(r"\[\^([a-z0-9-]+)\]")


@pytest.fixture(scope="module")
def realistic_module():
    spec = importlib.util.spec_from_file_location("benchmark_realistic", REALISTIC)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def grown(realistic_module, tmp_path_factory):
    """The real content grown by one full round of clones and a few more: every clonable
    entry cloned once (the footnotes' document among them), 7 cloned twice."""
    originals, _, _ = realistic_module.read_originals(ROOT / "content")
    clonable = realistic_module.clone_order(originals)
    entries = len(originals) + len(clonable) + 7
    out = tmp_path_factory.mktemp("realistic") / "content"
    made = subprocess.run([sys.executable, str(REALISTIC), "--entries", str(entries), "--out", str(out)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert made.returncode == 0, made.stderr
    return {"folder": out, "entries": entries, "originals": originals, "stdout": made.stdout}


def _clones(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if CLONE_SUFFIX.search(p.stem))


def test_realistic_content_passes_strict_check_and_counts_n_entries(grown, run_cli):
    checked = run_cli("check", "--content", grown["folder"], "--strict", cwd=grown["folder"].parent)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "; 0 warning(s)." in checked.stdout
    pages = [p for folder in ("timeline", "actors", "equipment", "sources", "themes", "data")
             for p in (grown["folder"] / folder).glob("*.yaml")]
    assert len(pages) == grown["entries"]
    assert f"+ {grown['entries'] - len(grown['originals'])} clones" in grown["stdout"]


def test_realistic_originals_are_untouched_and_clones_copy_them(grown, realistic_module):
    folder = grown["folder"]
    for path in (ROOT / "content").rglob("*"):
        if path.is_file():
            assert (folder / path.relative_to(ROOT / "content")).read_bytes() == path.read_bytes(), path
    clones = [p for p in _clones(folder) if p.parent.name != "notes"]
    assert {p.parent.name for p in clones} == {"timeline", "actors", "equipment", "sources", "data"}
    assert not any(p.parent.name == "themes" for p in clones)  # the site's sections are not cloned
    for clone in clones:
        original = ROOT / "content" / clone.parent.name / f"{CLONE_SUFFIX.sub('', clone.stem)}.yaml"
        text, before = clone.read_text(encoding="utf-8"), original.read_text(encoding="utf-8")
        assert f"\nid: {clone.stem}\n" in text
        # the same prose, links and relations (to the ORIGINAL entries), only unique fields dropped
        assert LINK.findall(text) == LINK.findall(before)
        assert "\naliases:" not in text and "\nmap_code:" not in text
        assert len(CITATION.findall(text)) == len(CITATION.findall(before))


def test_realistic_clones_link_to_the_original_hubs(grown):
    folder = grown["folder"]
    clone_text = "\n".join(p.read_text(encoding="utf-8") for p in _clones(folder) if p.parent.name != "notes")
    targets = LINK.findall(clone_text)
    assert targets.count("azerbaijan") >= 2 * LINK.findall(
        (ROOT / "content" / "actors" / "azerbaijan.yaml").read_text(encoding="utf-8")).count("azerbaijan")
    assert not any(CLONE_SUFFIX.search(target) for target in targets)  # nothing links to a clone
    assert "actors: [azerbaijan" in clone_text


def test_realistic_footnotes_are_cloned_with_their_document_and_all_cited(grown):
    folder = grown["folder"]
    copied = sorted((folder / "notes").glob("*-c0001.yaml"))
    assert [p.name for p in copied] == ["delanoe-2021-c0001.yaml"]
    text = copied[0].read_text(encoding="utf-8")
    assert "\ndocument: delanoe-2021-c0001\n" in text
    copied_ids = re.findall(r"^  - id: (\S+)$", text, re.MULTILINE)
    assert copied_ids and all(i.startswith("delanoe-2021-") and i.endswith("-c0001") for i in copied_ids)
    cited_by_round_one = set()
    for clone in _clones(folder):
        if clone.parent.name != "notes" and clone.stem.endswith("-c0001"):
            cited_by_round_one.update(CITATION.findall(clone.read_text(encoding="utf-8")))
    assert set(copied_ids) <= cited_by_round_one  # every copied note is cited (strict check: no warning)
    # the clones of the second round cite the originals: their document has no second clone
    for clone in _clones(folder):
        if clone.stem.endswith("-c0002") and clone.parent.name != "notes":
            assert not any(CLONE_SUFFIX.search(n) for n in CITATION.findall(clone.read_text(encoding="utf-8")))


def test_realistic_map_codes_stay_unique(grown):
    codes = re.findall(r"^map_code: (\S+)$", "\n".join(
        p.read_text(encoding="utf-8") for p in (grown["folder"] / "actors").glob("*.yaml")), re.MULTILINE)
    assert codes and len(codes) == len(set(codes))


def test_realistic_generation_is_deterministic(realistic_module, tmp_path):
    first, plan = realistic_module.generate(ROOT / "content", 400)
    second, _ = realistic_module.generate(ROOT / "content", 400)
    assert first == second
    assert plan.originals + plan.clones == 400
    made = subprocess.run([sys.executable, str(REALISTIC), "-n", "400", "--out", str(tmp_path / "c"), "-q"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert made.returncode == 0, made.stderr
    assert _tree(tmp_path / "c") == first


def test_realistic_refuses_fewer_entries_than_the_originals(tmp_path):
    made = subprocess.run([sys.executable, str(REALISTIC), "-n", "10", "--out", str(tmp_path / "c")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert made.returncode == 2
    assert "--entries must be at least" in made.stderr and "Traceback" not in made.stderr
    assert not (tmp_path / "c").exists()
