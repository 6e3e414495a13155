#!/usr/bin/env python3
"""Seeded generator of synthetic site-builder content, for benchmarks and tests.

    python benchmarks/generate.py --entries 2000 --out /tmp/bench-content [--seed 1] [--force]

writes a complete, valid content folder (site.yaml, themes, timeline, equipment with
orders, actors, sources, note files, datasets) that `site-builder check` accepts with
0 errors and 0 warnings. The same --entries and --seed always give byte-identical files.

What N counts: N is the number of entries that have their own file and page (events,
actors, equipment, sources, themes, datasets). Footnotes are written in addition, 3 per
source, in one note file per source (`notes/<source-id>.yaml`), so the tool's own count
of entries (`--verbose`: "load+validate: … entries") is N + 3 × sources. There are a
dozen themes and a few datasets (2 + N // 1000); the rest of N is split 45 : 20 : 15 : 10
between events, actors, equipment and sources (for N = 2000: 992 events, 441 actors,
331 equipment items, 220 sources with 660 notes, 12 themes, 4 datasets).

Every page entry has about 250 words of prose per language (events, actors and
equipment: a one-paragraph summary of ~50 words and a body of ~200 words; themes,
sources and datasets: one description of ~250 words), holding exactly three footnote
citations `[^note-id]` and three cross-links `[text](kind:id)` per language. Citations
are dealt round-robin over a shuffled list of every note, so each note is cited. Events
relate to actors, equipment, themes and sources; equipment to its makers, country and
buyers (orders); actors to their country and parent: every kind has backlinks.

YAML is written as text (fast): prose as folded block scalars (`>-`), identifiers and
dates as plain scalars only when they are unambiguous slugs or EDTF dates, and every
other string double-quoted with JSON escaping (a valid YAML double-quoted scalar).
Only the standard library is used; PyYAML is not even needed to generate.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

MIN_ENTRIES = 30
DEFAULT_SEED = 1
WRAP = 96  # column at which prose lines are wrapped

# --- YAML writing ---------------------------------------------------------------


class Block(str):
    """Prose: written as a folded block scalar (`>-`), paragraphs separated by blank lines."""


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EDTF = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?~?(/[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?~?)?$")
# Plain scalars that YAML 1.1 or 1.2 tools could read as something other than text.
_AMBIGUOUS = re.compile(
    r"^(y|n|yes|no|on|off|true|false|null|~|[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?"
    r"|[-+]?0[oxb][0-9a-f_]+|[-+]?\.?inf|\.nan)$", re.IGNORECASE)
_DATE_ONLY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _scalar(value: Any, *, date: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if not re.fullmatch(r"-?[0-9]+\.[0-9]+(e[-+]?[0-9]+)?", text):
            raise ValueError(f"float {value!r} would not round-trip as written")
        return text
    if not isinstance(value, str):
        raise TypeError(f"cannot write {type(value).__name__} as a YAML scalar")
    if date and _EDTF.match(value):
        return value  # editors write dates plain; site-builder keeps them as text
    if _SLUG.match(value) and not _AMBIGUOUS.match(value) and not _DATE_ONLY.match(value):
        return value
    # JSON string syntax is a valid YAML double-quoted scalar (escapes \" \\ \n \uXXXX).
    return json.dumps(value, ensure_ascii=False)


def _folded(text: str, indent: str) -> str:
    """`text` as the lines of a folded scalar: one blank line per newline between
    paragraphs + 1 (folding turns a single line break into a space)."""
    if not text or text != text.strip() or "\t" in text or "\r" in text:
        raise ValueError("prose must be non-empty, without surrounding blanks, tabs or CR")
    out: list[str] = []
    for number, paragraph in enumerate(text.split("\n\n")):
        if number:
            out += ["", ""]
        if "\n" in paragraph or "  " in paragraph or not paragraph.strip() or paragraph != paragraph.strip():
            raise ValueError(f"prose paragraph cannot be folded safely: {paragraph[:60]!r}")
        line = ""
        for word in paragraph.split(" "):
            if line and len(indent) + len(line) + 1 + len(word) > WRAP:
                out.append(indent + line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(indent + line)
    return "\n".join(out)


_DATE_KEYS = {"date", "delivered", "period"}


def to_yaml(data: dict[str, Any]) -> str:
    lines: list[str] = []
    _mapping(data, 0, lines)
    return "\n".join(lines) + "\n"


def _mapping(data: dict[str, Any], level: int, lines: list[str], first_prefix: str | None = None) -> None:
    pad = "  " * level
    for number, (key, value) in enumerate(data.items()):
        if value is None:
            continue
        lead = first_prefix if (first_prefix is not None and number == 0) else pad
        head = f"{lead}{key}:"
        if isinstance(value, Block):
            lines.append(f"{head} >-")
            lines.append(_folded(value, pad + "  "))
        elif isinstance(value, dict):
            lines.append(head)
            _mapping(value, level + 1, lines)
        elif isinstance(value, list):
            if not value:
                lines.append(f"{head} []")
            elif all(isinstance(v, dict) for v in value):
                lines.append(head)
                for item in value:
                    _mapping(item, level + 2, lines, first_prefix=pad + "  - ")
            else:
                lines.append(f"{head} [{', '.join(_scalar(v, date=key in _DATE_KEYS) for v in value)}]")
        else:
            lines.append(f"{head} {_scalar(value, date=key in _DATE_KEYS)}")


# --- vocabulary -----------------------------------------------------------------

_SYLLABLES = ("ka ra vo len mi tor sa bel dor ni que fa lu mar zen ori tal ve sin gar po "
              "lek ane vis tru hal bra cem dun ely fir gon ish jor kel mon nar pel ros "
              "sul tav urk val wen yar zol").split()

FR_WORDS = ("accord coopération défense livraison contrat partenariat stratégie sécurité "
            "frontière région gouvernement ministère industrie armement drone radar missile "
            "système programme achat exportation importation énergie pétrole gaz pipeline "
            "satellite station renseignement surveillance conflit guerre cessez-le-feu "
            "négociation visite délégation président ministre ambassade capitale marché "
            "technologie transfert formation exercice manœuvre alliance rivalité voisin "
            "influence pression sanction soutien équilibre tension relation échange commerce "
            "investissement chantier naval aérien terrestre cyber attaque réseau infrastructure "
            "discret officiel important récent ancien nouveau régional bilatéral militaire "
            "économique politique diplomatique stratégique technique durable rapide progressif "
            "signe renforce annonce confirme développe livre commande finance prépare négocie "
            "soutient conteste dénonce observe estime rapporte souligne précise rappelle").split()
EN_WORDS = ("agreement cooperation defence delivery contract partnership strategy security "
            "border region government ministry industry armament drone radar missile system "
            "programme purchase export import energy oil gas pipeline satellite station "
            "intelligence surveillance conflict war ceasefire negotiation visit delegation "
            "president minister embassy capital market technology transfer training exercise "
            "manoeuvre alliance rivalry neighbour influence pressure sanction support balance "
            "tension relation exchange trade investment shipyard naval air land cyber attack "
            "network infrastructure discreet official important recent former new regional "
            "bilateral military economic political diplomatic strategic technical lasting rapid "
            "gradual signs strengthens announces confirms develops delivers orders finances "
            "prepares negotiates supports contests denounces observes estimates reports "
            "stresses specifies recalls").split()
FR_GLUE = "le la les un une des du de et à au aux dans pour avec sans sur selon entre par".split()
EN_GLUE = "the a an of and to in for with without on according between by from".split()
FR_OPENERS = ("Selon l'auteur, | En outre, | Toutefois, | Dès lors, | Par ailleurs, | "
              "D'après la note, | À cette époque, | Cependant, | Ainsi, | Pourtant, ").split("| ")
EN_OPENERS = ("According to the author, | Moreover, | However, | From then on, | Meanwhile, | "
              "In the note's reading, | At the time, | Nevertheless, | Thus, | Yet ").split("| ")

THEMES = [
    ("diplomacy", "Diplomatie", "Diplomacy"),
    ("arms-trade", "Commerce des armes", "Arms trade"),
    ("drones", "Drones", "Drones"),
    ("air-defence", "Défense aérienne", "Air defence"),
    ("naval", "Naval", "Naval"),
    ("space", "Espace", "Space"),
    ("cyber", "Cyber", "Cyber"),
    ("energy", "Énergie", "Energy"),
    ("intelligence", "Renseignement", "Intelligence"),
    ("frontier-conflicts", "Conflits frontaliers", "Border conflicts"),
    ("regional-context", "Contexte régional", "Regional context"),
    ("economy", "Économie", "Economy"),
]
EQUIPMENT_CATEGORIES = ["air-defence", "drone", "loitering-munition", "missile", "rocket-artillery",
                        "artillery", "armoured-vehicle", "anti-tank", "naval", "satellite", "cyber",
                        "surveillance", "aircraft", "other"]
EVENT_TITLES = [
    ("Accord entre {a} et {b}", "Agreement between {a} and {b}"),
    ("{a} commande des {e}", "{a} orders {e}"),
    ("Livraison de {e} à {a}", "Delivery of {e} to {a}"),
    ("Visite officielle de {a} auprès de {b}", "Official visit of {a} to {b}"),
    ("{a} et {b} : nouvelle étape du partenariat", "{a} and {b}: a new step in the partnership"),
    ("Premiers essais des {e}", "First trials of the {e}"),
    ("« Coopération renforcée » entre {a} et {b}", "\"Stronger cooperation\" between {a} and {b}"),
    ("{a} dénonce l'achat de {e} par {b}", "{a} condemns {b}'s purchase of {e}"),
]


@dataclass
class Entry:
    kind: str
    id: str
    label_fr: str
    label_en: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    events: int
    actors: int
    equipment: int
    sources: int
    themes: int
    datasets: int

    @property
    def notes(self) -> int:
        return 3 * self.sources

    @property
    def entries(self) -> int:
        return self.events + self.actors + self.equipment + self.sources + self.themes + self.datasets

    def as_dict(self) -> dict[str, int]:
        return {"event": self.events, "actor": self.actors, "equipment": self.equipment,
                "source": self.sources, "note": self.notes, "theme": self.themes, "dataset": self.datasets}


def plan(entries: int) -> Plan:
    """How many entries of each kind make `entries` page entries in total."""
    if entries < MIN_ENTRIES:
        raise ValueError(f"--entries must be at least {MIN_ENTRIES}")
    themes = min(len(THEMES), max(3, entries // 10))
    datasets = 2 + entries // 1000
    rest = entries - themes - datasets
    sources = max(2, round(rest * 10 / 90))
    equipment = max(3, round(rest * 15 / 90))
    actors = max(8, round(rest * 20 / 90))
    events = rest - sources - equipment - actors
    return Plan(events, actors, equipment, sources, themes, datasets)


# --- the generator -------------------------------------------------------------

class Generator:
    def __init__(self, entries: int, seed: int):
        self.plan = plan(entries)
        self.rng = random.Random(seed)
        self.used_ids: set[str] = set()
        self.used_names: set[str] = set()
        self.by_kind: dict[str, list[Entry]] = {k: [] for k in
                                                 ("theme", "actor", "equipment", "source", "event", "dataset")}
        self.notes: list[dict[str, Any]] = []  # {"id", "source"} in creation order
        self._cite_cycle: Iterator[dict[str, Any]] | None = None
        self._index: dict[tuple[str, str], Entry] | None = None  # built once every entry exists

    # names and ids
    def _unique_id(self, base: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:70].strip("-") or "entry"
        candidate, number = base, 2
        while candidate in self.used_ids or _AMBIGUOUS.match(candidate):
            candidate, number = f"{base}-{number}", number + 1
        self.used_ids.add(candidate)
        return candidate

    def _word(self, syllables: tuple[int, int] = (2, 3)) -> str:
        while True:
            word = "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(*syllables))).capitalize()
            if word not in self.used_names:
                self.used_names.add(word)
                return word

    # prose
    def _sentence(self, lang: str, words: int) -> list[str]:
        bank, glue = (FR_WORDS, FR_GLUE) if lang == "fr" else (EN_WORDS, EN_GLUE)
        rng = self.rng
        out = rng.choices(bank, k=words)
        out[::3] = rng.choices(glue, k=len(out[::3]))  # a function word every third word
        if rng.random() < 0.25:
            out.insert(0, rng.choice(FR_OPENERS if lang == "fr" else EN_OPENERS).strip())
        if rng.random() < 0.15:  # a quotation, in each language's marks (straight quotes in English)
            at = rng.randrange(1, len(out))
            quote = " ".join(rng.choice(bank) for _ in range(3))
            out.insert(at, f"« {quote} »" if lang == "fr" else f'"{quote}"')
        if rng.random() < 0.1:
            out.append(f"({rng.randint(2, 95)} %)" if lang == "fr" else f"({rng.randint(2, 95)}%)")
        if rng.random() < 0.1:
            at = rng.randrange(1, len(out))
            out[at] = f"*{out[at]}*"
        out[0] = out[0][0].upper() + out[0][1:]
        space = " " if lang == "fr" else ""  # French: ordinary space before ? ! ; : (the tool makes it no-break)
        end = rng.choices([".", "?", "!", ";", ":"], weights=[85, 4, 1, 5, 5])[0]
        if end in ";:":  # a second clause
            out[-1] += space + end
            out += [rng.choice(bank), rng.choice(glue), rng.choice(bank)]
            end = "."
        out[-1] += (space if end in "?!" else "") + end
        return out

    def _paragraphs(self, lang: str, words: int, paragraphs: int, links: list[tuple[str, str, str, str]],
                    cites: list[str]) -> Block:
        """About `words` words in `paragraphs` paragraphs, with each link and citation placed
        before or after a different word (the first word of each sentence stays plain)."""
        sentences: list[list[str]] = []
        count = 0
        while count < words:
            sentence = self._sentence(lang, self.rng.randint(8, 18))
            sentences.append(sentence)
            count += len(sentence)
        # anchors: (sentence index, word index) slots, distinct, one per link/citation
        slots = sorted(self.rng.sample([(s, w) for s, sentence in enumerate(sentences)
                                        for w in range(1, len(sentence))], len(links) + len(cites)))
        items: list[tuple[str, Any]] = [("link", link) for link in links] + [("cite", cite) for cite in cites]
        self.rng.shuffle(items)
        for (s, w), (what, value) in zip(slots, items):
            word = sentences[s][w]
            if what == "link":
                kind, target, label_fr, label_en = value
                label = (label_fr if lang == "fr" else label_en).replace("[", "(").replace("]", ")")
                sentences[s][w] = f"[{label}]({kind}:{target}) {word}"
            else:
                core = word.rstrip(".?!;: ")
                sentences[s][w] = f"{core}[^{value}]{word[len(core):]}"
        per = max(1, len(sentences) // paragraphs)
        blocks = [" ".join(" ".join(s) for s in sentences[i:i + per]) for i in range(0, len(sentences), per)]
        if len(blocks) > paragraphs:  # fold a short tail into the last paragraph
            blocks[paragraphs - 1:] = [" ".join(blocks[paragraphs - 1:])]
        return Block("\n\n".join(re.sub(r" +", " ", b).strip() for b in blocks))

    def _draw_notes(self, count: int, avoid_source: str | None = None) -> list[str]:
        assert self._cite_cycle is not None
        chosen: list[str] = []
        while len(chosen) < count:
            note = next(self._cite_cycle)
            if note["id"] not in chosen and (avoid_source is None or note["source"] != avoid_source):
                chosen.append(note["id"])
        return chosen

    def _cycle(self) -> Iterator[dict[str, Any]]:
        order = list(self.notes)
        while True:
            self.rng.shuffle(order)
            yield from order

    def _link_targets(self, own: tuple[str, str], preferred: list[tuple[str, str]], count: int = 3
                      ) -> list[tuple[str, str, str, str]]:
        """`count` distinct entries to link to: related ones first, then any other."""
        if self._index is None:
            self._index = {(e.kind, e.id): e for kind in self.by_kind.values() for e in kind}
        labels = self._index
        chosen: list[tuple[str, str]] = []
        for key in preferred:
            if key != own and key not in chosen and key in labels and len(chosen) < count:
                chosen.append(key)
        pools = [k for k in ("actor", "event", "equipment", "theme", "source", "dataset") if self.by_kind[k]]
        while len(chosen) < count:
            kind = self.rng.choice(pools)
            entry = self.rng.choice(self.by_kind[kind])
            key = (entry.kind, entry.id)
            if key != own and key not in chosen:
                chosen.append(key)
        return [(k, i, labels[(k, i)].label_fr, labels[(k, i)].label_en) for k, i in chosen]

    def _prose_pair(self, own: tuple[str, str], related: list[tuple[str, str]], words: int,
                    links: int = 3, cites: int = 3, paragraphs: int = 1, avoid_source: str | None = None,
                    targets: list | None = None, notes: list[str] | None = None) -> dict[str, Block]:
        targets = targets if targets is not None else self._link_targets(own, related, links)
        notes = notes if notes is not None else self._draw_notes(cites, avoid_source)
        return {"fr": self._paragraphs("fr", words, paragraphs, targets, notes),
                "en": self._paragraphs("en", words, paragraphs, targets, notes)}

    def _summary_and_body(self, own: tuple[str, str], related: list[tuple[str, str]]) -> tuple[dict, dict]:
        """~50 + ~200 words per language; 1 + 2 links and 1 + 2 citations."""
        targets = self._link_targets(own, related, 3)
        notes = self._draw_notes(3)
        summary = self._prose_pair(own, related, 42, targets=targets[:1], notes=notes[:1])
        body = self._prose_pair(own, related, 178, paragraphs=3, targets=targets[1:], notes=notes[1:])
        return summary, body

    # entries, created so that every reference points to an existing id
    def generate(self) -> dict[str, str]:
        """Content folder as {relative path: YAML text}."""
        return {path: to_yaml(data) for path, data in self.documents().items()}

    def documents(self) -> dict[str, dict[str, Any]]:
        """Content folder as {relative path: the data its YAML text holds}."""
        p, rng = self.plan, self.rng
        for theme_id, fr, en in THEMES[:p.themes]:
            self.used_ids.add(theme_id)
            self.by_kind["theme"].append(Entry("theme", theme_id, fr, en))
        self._make_actors()
        self._make_sources()
        for entry in self.by_kind["source"]:
            for k in range(1, 4):
                other = rng.choice(self.by_kind["source"])
                self.notes.append({"id": f"{entry.id}-{k}", "source": other.id, "document": entry.id})
        self._cite_cycle = self._cycle()
        self._make_equipment()
        self._make_events()
        self._make_datasets()
        # prose last: every entry exists, so links can point anywhere
        files: dict[str, dict[str, Any]] = {}
        for entry in self.by_kind["theme"]:
            entry.data = {"id": entry.id, "title": {"fr": entry.label_fr, "en": entry.label_en},
                          "description": self._prose_pair(("theme", entry.id), [], 228, paragraphs=2)}
        for kind in ("actor", "equipment", "event"):
            for entry in self.by_kind[kind]:
                related = entry.data.pop("_related")
                summary, body = self._summary_and_body((kind, entry.id), related)
                entry.data = _insert_after(entry.data, "_summary_at", {"summary": summary, "body": body})
        for entry in self.by_kind["source"]:
            entry.data["description"] = self._prose_pair(("source", entry.id), [], 228, paragraphs=2,
                                                         avoid_source=entry.id)
        for entry in self.by_kind["dataset"]:
            entry.data = _insert_after(entry.data, "_summary_at", {
                "description": self._prose_pair(("dataset", entry.id), [("theme", t) for t in entry.data["themes"]],
                                                228, paragraphs=2)})
        folders = {"theme": "themes", "actor": "actors", "equipment": "equipment", "source": "sources",
                   "event": "timeline", "dataset": "data"}
        for kind, folder in folders.items():
            for entry in self.by_kind[kind]:
                files[f"{folder}/{entry.id}.yaml"] = entry.data
        by_document: dict[str, list[dict[str, Any]]] = {}
        for note in self.notes:
            by_document.setdefault(note["document"], []).append(note)
        for entry in self.by_kind["source"]:
            files[f"notes/{entry.id}.yaml"] = {"document": entry.id, "notes": [
                self._note(note) for note in by_document[entry.id]]}
        files["site.yaml"] = self._site()
        return dict(sorted(files.items()))

    def _note(self, note: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        actor = rng.choice(self.by_kind["actor"])
        words_fr = " ".join(rng.choice(FR_WORDS) for _ in range(rng.randint(8, 20)))
        words_en = " ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(8, 20)))
        link = rng.random() < 0.3
        return {
            "id": note["id"],
            "text": {
                "fr": Block(words_fr.capitalize() + (f", d'après [{actor.label_fr}](actor:{actor.id})." if link else ".")),
                "en": Block(words_en.capitalize() + (f", according to [{actor.label_en}](actor:{actor.id})." if link else ".")),
            },
            "source": note["source"],
            "locator": f"p. {rng.randint(1, 300)}",
        }

    def _make_actors(self) -> None:
        p, rng = self.plan, self.rng
        states = max(4, round(p.actors * 0.15))
        companies = max(2, round(p.actors * 0.35))
        organisations = max(1, round(p.actors * 0.25))
        kinds = ["state"] * states + ["company"] * companies + ["organisation"] * organisations
        kinds += ["person"] * (p.actors - len(kinds))
        kinds = kinds[:p.actors]
        themes = [t.id for t in self.by_kind["theme"]]
        for kind in kinds:
            root = self._word()
            if kind == "state":
                fr, en = root, root
                name: Any = root
            elif kind == "company":
                suffix = rng.choice([("Systems", "Systems"), ("Aerospace", "Aerospace"), ("Dynamics", "Dynamics"),
                                     ("Industries", "Industries"), ("Défense", "Defence")])
                fr, en = f"{root} {suffix[0]}", f"{root} {suffix[1]}"
                name = fr if fr == en else {"fr": fr, "en": en}
            elif kind == "organisation":
                fr, en = rng.choice([(f"Institut {root}", f"{root} Institute"),
                                     (f"Forum de {root}", f"{root} Forum"),
                                     (f"Agence {root} de sécurité", f"{root} Security Agency")])
                name = {"fr": fr, "en": en}
            else:
                fr = en = f"{self._word((1, 2))} {root}"
                name = fr
            entry = Entry("actor", self._unique_id(en), fr, en)
            states_so_far = [a for a in self.by_kind["actor"] if a.data["kind"] == "state"]
            orgs_so_far = [a for a in self.by_kind["actor"] if a.data["kind"] in ("organisation", "company")]
            country = rng.choice(states_so_far).id if kind != "state" and states_so_far else None
            parent = rng.choice(orgs_so_far).id if kind == "person" and orgs_so_far and rng.random() < 0.6 else None
            entry.data = {"id": entry.id, "kind": kind, "name": name, "country": country, "parent": parent,
                          "_summary_at": None,
                          "themes": sorted(rng.sample(themes, rng.randint(1, min(2, len(themes))))),
                          "sources": []}
            related = [("actor", x) for x in (country, parent) if x]
            entry.data["_related"] = related
            self.by_kind["actor"].append(entry)

    def _make_sources(self) -> None:
        rng = self.rng
        people = [a for a in self.by_kind["actor"] if a.data["kind"] == "person"] or self.by_kind["actor"]
        for number in range(self.plan.sources):
            language = rng.choice(["fr", "en", "en"])
            year = rng.randint(1995, 2024)
            author = self._word()
            topic = " ".join(rng.choice(FR_WORDS if language == "fr" else EN_WORDS) for _ in range(4))
            title = (f"{topic.capitalize()} : regards sur la région" if language == "fr"
                     else f"{topic.capitalize()}: a view of the region")
            kind = rng.choice(["article", "article", "report", "book", "chapter", "web", "news", "note"])
            entry = Entry("source", self._unique_id(f"{author}-{year}"), f"{author} ({year})", f"{author} ({year})")
            first_page = rng.randint(1, 200)
            entry.data = {
                "id": entry.id, "kind": kind,
                "authors": [f"{rng.choice(people).label_en.split(' ')[0]} {author}"],
                "title": title,
                "container": rng.choice(["Revue stratégique", "Strategic Assessment, vol. 17, no. 4",
                                         "Policy Papers", None]),
                "publisher": rng.choice(["FMES", "INSS", "Institut d'études", None]),
                "date": rng.choice([year, f"{year}-{rng.randint(1, 12):02d}"]),
                "pages": f"{first_page}-{first_page + rng.randint(5, 40)}",
                "url": f"https://example.org/{entry.id}.pdf" if rng.random() < 0.6 else None,
                "language": language,
            }
            self.by_kind["source"].append(entry)
        for actor in self.by_kind["actor"]:
            actor.data["sources"] = sorted({s.id for s in rng.sample(self.by_kind["source"],
                                                                      min(2, len(self.by_kind["source"])))})

    def _make_equipment(self) -> None:
        rng = self.rng
        states = [a for a in self.by_kind["actor"] if a.data["kind"] == "state"]
        makers = [a for a in self.by_kind["actor"] if a.data["kind"] == "company"]
        themes = [t.id for t in self.by_kind["theme"]]
        sources = [s.id for s in self.by_kind["source"]]
        for _ in range(self.plan.equipment):
            root = self._word((2, 2))
            name = f"{root}-{rng.choice([1, 2, 3, 5, 9])}{rng.choice(['', '0', '00', '50'])}"
            entry = Entry("equipment", self._unique_id(name), name, name)
            country = rng.choice(states).id
            maker_ids = sorted({m.id for m in rng.sample(makers, min(len(makers), rng.randint(1, 2)))})
            orders = []
            for _ in range(rng.choices([0, 1, 2, 3], weights=[10, 45, 30, 15])[0]):
                ordered = rng.randint(1995, 2023)
                delivered = rng.choice([None, ordered + 1,
                                        f"{ordered}/{ordered + rng.randint(1, 5)}",
                                        f"{ordered + 1}-{rng.randint(1, 12):02d}"])
                order: dict[str, Any] = {"buyer": rng.choice(states).id, "quantity": rng.randint(1, 400),
                                         "ordered": ordered, "delivered": delivered}
                if rng.random() < 0.2:
                    order["comment"] = {"fr": Block("Commande signalée par la presse spécialisée."),
                                        "en": Block("Order reported by the specialist press.")}
                order["sources"] = [rng.choice(sources)]
                orders.append(order)
            entry.data = {"id": entry.id, "name": name, "category": rng.choice(EQUIPMENT_CATEGORIES),
                          "country": country, "manufacturers": maker_ids, "_summary_at": None, "orders": orders,
                          "themes": sorted(rng.sample(themes, rng.randint(1, min(2, len(themes))))),
                          "sources": sorted(set(rng.sample(sources, min(len(sources), rng.randint(1, 2)))))}
            entry.data["_related"] = [("actor", m) for m in maker_ids] + [("actor", o["buyer"]) for o in orders]
            self.by_kind["equipment"].append(entry)

    def _make_events(self) -> None:
        rng = self.rng
        actors = self.by_kind["actor"]
        equipment = self.by_kind["equipment"]
        themes = [t.id for t in self.by_kind["theme"]]
        sources = [s.id for s in self.by_kind["source"]]
        for _ in range(self.plan.events):
            year = rng.randint(1988, 2024)
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            precision = rng.choices(["day", "month", "year", "approx", "range"], weights=[50, 25, 13, 6, 6])[0]
            date: Any = {"day": f"{year}-{month:02d}-{day:02d}", "month": f"{year}-{month:02d}", "year": year,
                         "approx": f"{year}~", "range": f"{year}-{month:02d}/{year + 1}-{month:02d}"}[precision]
            prefix = str(date).split("/")[0].rstrip("~")
            a, b = rng.sample(actors, 2)
            e = rng.choice(equipment)
            template = rng.choice(EVENT_TITLES)
            title = {"fr": template[0].format(a=a.label_fr, b=b.label_fr, e=e.label_fr),
                     "en": template[1].format(a=a.label_en, b=b.label_en, e=e.label_en)}
            slug_words = " ".join(rng.choice(EN_WORDS) for _ in range(2))
            entry = Entry("event", self._unique_id(f"{prefix}-{a.id.split('-')[0]}-{slug_words}"),
                          title["fr"], title["en"])
            event_actors = sorted({a.id, b.id})
            event_equipment = [e.id] if "{e}" in template[1] else sorted(
                {x.id for x in rng.sample(equipment, rng.randint(0, min(2, len(equipment))))})
            figures = []
            if rng.random() < 0.1:
                figures.append({"label": {"fr": "Montant du contrat", "en": "Contract value"},
                                "value": float(rng.randint(5, 900)) * 1e6, "unit": "USD",
                                "approximate": rng.random() < 0.5, "sources": [rng.choice(sources)]})
            entry.data = {"id": entry.id, "date": date, "title": title, "_summary_at": None,
                          "themes": sorted(rng.sample(themes, rng.randint(1, min(2, len(themes))))),
                          "actors": event_actors, "equipment": event_equipment, "figures": figures or None,
                          "sources": sorted(set(rng.sample(sources, min(len(sources), rng.randint(1, 2)))))}
            entry.data["_related"] = [("actor", x) for x in event_actors] + [("equipment", x) for x in event_equipment]
            self.by_kind["event"].append(entry)

    def _make_datasets(self) -> None:
        rng = self.rng
        themes = [t.id for t in self.by_kind["theme"]]
        sources = [s.id for s in self.by_kind["source"]]
        for _ in range(self.plan.datasets):
            topic = rng.choice([("Échanges", "Trade"), ("Exportations", "Exports"), ("Achats d'armes", "Arms purchases"),
                                ("Part des importations", "Share of imports")])
            place = self._word()
            entry = Entry("dataset", self._unique_id(f"{topic[1]} {place}"), f"{topic[0]} — {place}",
                          f"{topic[1]} — {place}")
            unit = "percent" if "Share" in topic[1] else rng.choice(["USD", "EUR", "count"])
            start = rng.randint(1995, 2010)
            points = [{"period": year, "value": round(rng.uniform(1, 900), 1)}
                      for year in range(start, start + rng.randint(8, 15))]
            entry.data = {"id": entry.id, "title": {"fr": entry.label_fr, "en": entry.label_en}, "_summary_at": None,
                          "unit": unit, "scale": "one" if unit in ("percent", "count") else "million",
                          "series_label": {"fr": topic[0], "en": topic[1]}, "points": points,
                          "themes": sorted(rng.sample(themes, 1)), "sources": [rng.choice(sources)]}
            self.by_kind["dataset"].append(entry)

    def _site(self) -> dict[str, Any]:
        own = ("site", "")
        events = self.by_kind["event"]
        first = min(events, key=lambda e: str(e.data["date"])) if events else None
        return {
            "title": {"fr": "Partenariats synthétiques : un site de test", "en": "Synthetic partnerships: a test site"},
            "tagline": {"fr": f"Contenu généré pour mesurer site-builder ({self.plan.entries} entrées)",
                        "en": f"Generated content to measure site-builder ({self.plan.entries} entries)"},
            "intro": self._prose_pair(own, [], 150, paragraphs=2),
            "about": self._prose_pair(own, [], 120, links=2, cites=1),
            "base_url": "https://example.org/benchmark/",
            "licence": {"fr": "CC BY 4.0", "en": "CC BY 4.0"},
            "author": "Benchmark Editors",
            "figures": [
                {"label": {"fr": "Part des importations", "en": "Share of imports"}, "value": 27.0,
                 "unit": "percent", "approximate": True, "date": 2020,
                 "sources": [self.by_kind["source"][0].id]},
                {"label": {"fr": "Valeur du premier contrat", "en": "Value of the first contract"},
                 "value": 1.2e9, "unit": "USD", "link": f"event:{first.id}" if first else None,
                 "notes": [self.notes[0]["id"]], "sources": [self.by_kind["source"][0].id]},
            ],
        }


def _insert_after(data: dict[str, Any], marker: str, new: dict[str, Any]) -> dict[str, Any]:
    """`data` with `new` fields in place of the `marker` key (keeps a natural field order)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == marker:
            out.update(new)
        else:
            out[key] = value
    return out


def generate(entries: int, seed: int = DEFAULT_SEED) -> dict[str, str]:
    """Content folder as {relative path: YAML text}."""
    return Generator(entries, seed).generate()


def plain_data(value: Any) -> Any:
    """What a YAML reader gets back from `to_yaml(value)`: None fields dropped, prose as str."""
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    return str(value) if isinstance(value, Block) else value


def write(files: dict[str, str], out: Path) -> None:
    for relative, text in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic, valid site-builder content folder.")
    parser.add_argument("--entries", "-n", type=int, required=True,
                        help=f"page entries in total (events, actors, equipment, sources, themes, datasets; "
                             f"at least {MIN_ENTRIES}); footnotes come in addition, 3 per source")
    parser.add_argument("--out", type=Path, required=True, help="content folder to create (must be empty or absent)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default: %(default)s)")
    parser.add_argument("--force", action="store_true",
                        help="replace --out if it already holds a content folder (a site.yaml)")
    parser.add_argument("--quiet", "-q", action="store_true")
    args = parser.parse_args(argv)
    if args.entries < MIN_ENTRIES:
        parser.error(f"--entries must be at least {MIN_ENTRIES}")
    if args.out.exists() and (not args.out.is_dir() or any(args.out.iterdir())):
        if not (args.force and (args.out / "site.yaml").is_file()):
            parser.error(f"{args.out} exists and is not empty (use --force to replace a generated content folder)")
        shutil.rmtree(args.out)
    started = time.perf_counter()
    generator = Generator(args.entries, args.seed)
    files = generator.generate()
    write(files, args.out)
    if not args.quiet:
        counts = ", ".join(f"{n} {kind}" for kind, n in generator.plan.as_dict().items())
        size = sum(len(t.encode("utf-8")) for t in files.values())
        print(f"Wrote {len(files)} files ({size / 1e6:.1f} MB) to {args.out}: {counts} "
              f"in {time.perf_counter() - started:.2f} s (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
