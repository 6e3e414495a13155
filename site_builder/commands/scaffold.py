"""`site-builder new KIND ID`: a new entry file with every field of its kind.

Texts are left empty on purpose: the entry does not pass `check` until both
languages are written and a source is cited, so a half-written entry can never
be published by accident.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..core.kinds import KIND
from ..content.schema import modeline

SLUG_HINT = "use lowercase ASCII letters, digits and single hyphens, e.g. 'barak-mx'"

_BOTH = '\n  fr: ""\n  en: ""'

TEMPLATES: dict[str, str] = {
    "theme": f"""id: {{id}}
# Former ids, only if this entry replaces renamed ones: their old addresses redirect here.
aliases: []
# The day this entry is first published on the site, and the day of its last revision in substance
# (YYYY-MM-DD): dates of the news feeds and of "Last updated". Leave them null until then.
added: null
updated: null
# Title of the theme, in both languages.
title:{_BOTH}
# What the theme covers (Markdown: [text](kind:id) links, [^note-id] footnotes).
description:{_BOTH}
""",
    "event": f"""id: {{id}}
# Former ids, only if this entry replaces renamed ones: their old addresses redirect here.
aliases: []
# The day this entry is first published on the site, and the day of its last revision in substance
# (YYYY-MM-DD): dates of the news feeds and of "Last updated". Leave them null until then.
added: null
updated: null
# EDTF date, at the precision of the source: 2023, 2023-11, 2023-10-04, 2008~ (about), 2020-09/2020-11 (range).
date: {{year}}
title:{_BOTH}
# One to three sentences, shown on the timeline (Markdown).
summary:{_BOTH}
# Optional longer text for the event's own page (Markdown); delete if unused.
body:{_BOTH}
# Ids of related entries (see content/themes, content/actors, content/equipment).
themes: []
actors: []
equipment: []
# Optional numbers worth showing, formatted per language. Example:
# figures:
#   - label: {{{{fr: Montant du contrat, en: Contract value}}}}
#     value: 1.2e9
#     unit: USD            # a currency code, percent or count
#     approximate: false
#     sources: [a-source-id]
figures: []
# Ids of the sources this event comes from (required, at least one).
sources: []
""",
    "equipment": f"""id: {{id}}
# Former ids, only if this entry replaces renamed ones: their old addresses redirect here.
aliases: []
# The day this entry is first published on the site, and the day of its last revision in substance
# (YYYY-MM-DD): dates of the news feeds and of "Last updated". Leave them null until then.
added: null
updated: null
# A name written once if it is the same in both languages, or as fr/en.
name: ""
# One of: air-defence, drone, loitering-munition, missile, rocket-artillery, artillery,
# armoured-vehicle, anti-tank, naval, satellite, cyber, surveillance, aircraft, other.
category: other
# Id of the state it comes from (an actor of kind state), or delete the line.
country: null
# Ids of the actors (companies) that make it, only where a source names them.
manufacturers: []
summary:{_BOTH}
body:{_BOTH}
# Rows of an arms-transfer register. Example:
# orders:
#   - buyer: azerbaijan      # actor id
#     quantity: 100
#     ordered: 2014          # year of order
#     delivered: 2014/2018   # EDTF year or range; delete if not delivered
#     comment: {{{{fr: "...", en: "..."}}}}
#     sources: [sipri-arms-transfers]
orders: []
themes: []
figures: []
sources: []
""",
    "actor": f"""id: {{id}}
# Former ids, only if this entry replaces renamed ones: their old addresses redirect here.
aliases: []
# The day this entry is first published on the site, and the day of its last revision in substance
# (YYYY-MM-DD): dates of the news feeds and of "Last updated". Leave them null until then.
added: null
updated: null
# One of: state, company, organisation, person.
kind: organisation
name: ""
# Id of the actor's country (a state), and of the organisation it belongs to; or delete.
country: null
parent: null
# A state's ISO 3166-1 numeric code, quoted (e.g. "031"): puts it on the actors page's map; or delete.
map_code: null
# The actor's role in the story (Markdown).
summary:{_BOTH}
body:{_BOTH}
themes: []
figures: []
sources: []
""",
    "source": """id: {id}
# Former ids, only if this entry replaces renamed ones: their old addresses redirect here.
aliases: []
# The day this entry is first published on the site, and the day of its last revision in substance
# (YYYY-MM-DD): dates of the news feeds and of "Last updated". Leave them null until then.
added: null
updated: null
# One of: article, report, book, chapter, database, web, news, interview, note, other.
kind: article
authors: []
# Title as published, in its original language (not translated).
title: ""
# Journal, outlet or series; publisher; EDTF date; pages; web address; language code (fr, en, ru...).
container: null
publisher: null
date: null
pages: null
url: null
language: en
# Optional note on the source, in both languages (Markdown).
description:
  fr: ""
  en: ""
""",
    "note": """# The source these footnotes belong to (e.g. the paper they were printed in), or null.
document: null
notes:
  - id: {id}
    # The footnote's text, in both languages (Markdown); cite it from prose as [^{id}].
    text:
      fr: ""
      en: ""
    # Id of the work it cites, and where in it (e.g. 'p. 69'); or delete.
    source: null
    locator: null
""",
    "dataset": f"""id: {{id}}
# Former ids, only if this entry replaces renamed ones: their old addresses redirect here.
aliases: []
# The day this entry is first published on the site, and the day of its last revision in substance
# (YYYY-MM-DD): dates of the news feeds and of "Last updated". Leave them null until then.
added: null
updated: null
title:{_BOTH}
description:{_BOTH}
# A currency code (USD), percent or count; and the scale of the values: one, thousand, million, billion.
unit: USD
scale: one
# Label of the values' column, in both languages.
series_label:{_BOTH}
# One point per period (an EDTF date) with its value.
points:
  - period: {{year}}
    value: 0
note:{_BOTH}
themes: []
sources: []
""",
}


class ScaffoldError(Exception):
    """The entry cannot be created; the message says why and what to do."""


def new_entry(kind: str, id: str, content: Path, schemas: Path, year: int) -> Path:
    if kind not in TEMPLATES:
        raise ScaffoldError(f"unknown kind '{kind}': use one of {', '.join(TEMPLATES)}")
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", id) or len(id) > 80:
        raise ScaffoldError(f"'{id}' is not a valid id: {SLUG_HINT}")
    folder = content / KIND[kind].folder
    path = folder / f"{id}.yaml"
    if path.exists() or (kind == "note" and _note_exists(folder, id)):
        raise ScaffoldError(f"{path}: an entry with id '{id}' already exists; choose another id or edit that entry")
    header = modeline(kind, path, schemas)
    text = header + "\n" + TEMPLATES[kind].format(id=id, year=year)
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # 'x': never overwrite, even in a race
        handle.write(text)
    return path


def _note_exists(folder: Path, id: str) -> bool:
    needle = f"id: {id}\n"
    return any(needle in path.read_text(encoding="utf-8", errors="replace") for path in folder.glob("*.yaml"))

