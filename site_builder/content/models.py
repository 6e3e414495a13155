"""The content model: one typed, immutable class per kind of entry.

These classes are the single definition of what an editor may write. Loading
validates against them, and relation fields carry a `Ref` marker naming the kind
they point to, so reference checking and backlinks walk the models generically
instead of knowing each field by name.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal, Union

from pydantic import (AfterValidator, BaseModel, ConfigDict, Discriminator, Field, PlainValidator,
                      Tag, ValidationInfo, WithJsonSchema, field_validator, model_validator)

from ..core.dates import FuzzyDate, parse_date
from ..core.kinds import KIND_IDS, KindId


@dataclass(frozen=True)
class Ref:
    """Marks a field whose values are ids of entries of `kind`."""

    kind: str


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Entry(_Model):
    """An entry with a page of its own: it may say when it was published and revised."""

    @field_validator("updated", check_fields=False)
    @classmethod
    def _revised_after_publication(cls, updated: FuzzyDate | None, info: ValidationInfo) -> FuzzyDate | None:
        added = info.data.get("added")  # (declared before `updated`: already validated)
        if added is not None and updated is not None and updated.sort_key() < added.sort_key():
            raise ValueError(f"updated '{updated}' is before added '{added}': an entry is revised after it is published")
        return updated


Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80,
                            description="Lowercase ASCII letters, digits and single hyphens, e.g. 'iai' or 'barak-mx'.")]
# The pattern only informs the JSON Schema (editors' tooling); the validator gives the build's message.
_NOT_BLANK_SCHEMA = {"pattern": r"\S"}
NonEmpty = Annotated[str, AfterValidator(_not_blank), Field(max_length=100_000, json_schema_extra=_NOT_BLANK_SCHEMA)]
ShortText = Annotated[str, AfterValidator(_not_blank), Field(max_length=500, json_schema_extra=_NOT_BLANK_SCHEMA)]


class Text(_Model):
    """Plain text in both languages (titles, names, labels)."""

    fr: ShortText
    en: ShortText


class Prose(_Model):
    """Markdown in both languages. May link entries, `[IAI](actor:iai)`, and cite notes, `[^note-id]`."""

    fr: NonEmpty
    en: NonEmpty


# A name that is the same in both languages may be written once; otherwise {fr, en}.
Name = Annotated[
    Union[Annotated[ShortText, Tag("same")], Annotated[Text, Tag("per-language")]],
    Discriminator(lambda v: "same" if isinstance(v, str) else "per-language"),
]

Date = Annotated[
    FuzzyDate,
    PlainValidator(lambda v: v if isinstance(v, FuzzyDate) else parse_date(v)),
    WithJsonSchema({
        "type": ["string", "integer"],
        "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?~?(/[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?~?)?$",
        "description": "EDTF date: 2023, 2023-11, 2023-10-04, 2008~ (approximate), 2011/2013 (range).",
    }),
]
def _one_day(value: FuzzyDate) -> FuzzyDate:
    if value.end is not None or value.start.approximate or value.start.precision != "day":
        raise ValueError(f"'{value}' is not one day: write YYYY-MM-DD, e.g. 2024-01-31")
    return value


# When the entry was first published on the site, and last revised in substance (feeds, "Last updated").
Day = Annotated[Date, AfterValidator(_one_day), WithJsonSchema({
    "type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "description": "A day, YYYY-MM-DD."})]
Added = Annotated[Union[Day, None], Field(default=None, description=(
    "The day this entry was first published on the site (YYYY-MM-DD): its date in the news feeds."))]
Updated = Annotated[Union[Day, None], Field(default=None, description=(
    "The day this entry was last revised in substance (YYYY-MM-DD): shown as 'Last updated' and in the feeds. "
    "Leave it for typo fixes."))]
Year = Annotated[int, Field(ge=1800, le=2200)]
# Numbers a reader is shown: bounded so that every locale can format them (Babel's
# decimal arithmetic fails from about 10^25) and no float shows as "inf".
Amount = Annotated[float, Field(ge=-10**15, le=10**15)]
# Patterns are written in the syntax Python and ECMA-262 (JSON Schema's "regex") share:
# no escapes of characters that need none, which unicode-mode ECMA-262 refuses.
HttpUrl = Annotated[str, Field(pattern=r"""^https?://[^\s<>"']+$""", max_length=2000,
                               description="An http:// or https:// address.")]

# Relation fields: ids of entries of one kind, checked against the library (links.py
# finds them by their `Ref` marker). Lists may be left out; `Cited` needs one source.
ThemeRefs = Annotated[list[Slug], Ref("theme"), Field(default_factory=list)]
ActorRefs = Annotated[list[Slug], Ref("actor"), Field(default_factory=list)]
EquipmentRefs = Annotated[list[Slug], Ref("equipment"), Field(default_factory=list)]
SourceRefs = Annotated[list[Slug], Ref("source"), Field(default_factory=list)]
NoteRefs = Annotated[list[Slug], Ref("note"), Field(default_factory=list)]
Cited = Annotated[list[Slug], Ref("source"), Field(min_length=1)]
ActorRef = Annotated[Union[Slug, None], Ref("actor")]
SourceRef = Annotated[Union[Slug, None], Ref("source")]
# Former ids of a renamed or merged entry: each keeps its old address alive (a redirect page in
# both languages), and links still written with it resolve to the entry, with a warning.
Aliases = Annotated[list[Slug], Field(default_factory=list, description=(
    "Former ids of this entry (after a rename or merge): their pages redirect here. "
    "Never the id of another live entry of the same kind."))]


class Figure(_Model):
    """A number worth showing, with its unit, formatted per locale.

    `unit` is an ISO 4217 currency code (USD), 'percent' or 'count'. `max` makes a
    range ("$200 to $300 million"); `approximate` keeps "about" visible and `more_than`
    keeps "more than" visible (a note's "plus de 1 000" is a lower bound, not an estimate).
    """

    label: Text
    value: Amount
    max: Union[Amount, None] = None
    unit: Annotated[str, Field(pattern=r"^([A-Z]{3}|percent|count)$")]
    approximate: bool = False
    more_than: bool = False
    date: Union[Date, None] = None
    link: Union[str, None] = Field(default=None, pattern=r"^[a-z]+:[a-z0-9-]+$",
                                   description="Entry where the figure is discussed, e.g. 'event:2023-11-barak-mx-contract'.")
    notes: NoteRefs
    sources: SourceRefs

    @model_validator(mode="after")
    def _one_qualifier(self) -> "Figure":
        # "more than about 1,000" or "more than 200 to 300" would say nothing clear.
        if self.more_than and (self.approximate or self.max is not None):
            raise ValueError("'more_than' cannot be combined with 'approximate' or 'max'")
        return self


class SiteSettings(_Model):
    title: Text
    tagline: Text
    intro: Prose
    about: Prose
    base_url: HttpUrl
    licence: Text
    author: Name
    figures: list[Figure] = Field(default_factory=list)


class Theme(_Entry):
    id: Slug
    aliases: Aliases
    added: Added
    updated: Updated
    title: Text
    description: Prose


class Event(_Entry):
    id: Slug
    aliases: Aliases
    added: Added
    updated: Updated
    date: Date
    title: Text
    summary: Prose
    body: Union[Prose, None] = None
    themes: ThemeRefs
    actors: ActorRefs
    equipment: EquipmentRefs
    figures: list[Figure] = Field(default_factory=list)
    sources: Cited


class Order(_Model):
    """One row of an arms-transfer register: who ordered how many, when, delivered when."""

    buyer: Annotated[Slug, Ref("actor")]
    quantity: Annotated[int, Field(gt=0, le=10**12)]
    ordered: Year
    delivered: Union[Date, None] = None
    comment: Union[Prose, None] = None
    sources: SourceRefs


EquipmentCategory = Literal[
    "air-defence", "drone", "loitering-munition", "missile", "rocket-artillery", "artillery",
    "armoured-vehicle", "anti-tank", "naval", "satellite", "cyber", "surveillance", "aircraft", "other",
]


class Equipment(_Entry):
    id: Slug
    aliases: Aliases
    added: Added
    updated: Updated
    name: Name
    category: EquipmentCategory
    country: ActorRef = None
    manufacturers: ActorRefs
    summary: Prose
    body: Union[Prose, None] = None
    orders: list[Order] = Field(default_factory=list)
    themes: ThemeRefs
    figures: list[Figure] = Field(default_factory=list)
    sources: Cited

    def order_parties(self, order: Order) -> tuple[str, ...]:
        """The actors of one of its orders: the buyer, then its makers and country, each once."""
        return tuple(dict.fromkeys([order.buyer, *self.manufacturers, *([self.country] if self.country else [])]))


ActorKind = Literal["state", "company", "organisation", "person"]


class Actor(_Entry):
    id: Slug
    aliases: Aliases
    added: Added
    updated: Updated
    kind: ActorKind
    name: Name
    country: ActorRef = None
    parent: ActorRef = None
    map_code: Union[Annotated[str, Field(pattern=r"^[0-9]{3}$")], None] = Field(
        default=None, description="A state's ISO 3166-1 numeric code, e.g. '031' for Azerbaijan: "
                                  "places it on the locator map of the actors page.")
    summary: Prose
    body: Union[Prose, None] = None
    themes: ThemeRefs
    figures: list[Figure] = Field(default_factory=list)
    sources: Cited


SourceKind = Literal["article", "report", "book", "chapter", "database", "web", "news", "interview", "note", "other"]


class Source(_Entry):
    """A bibliographic source. Titles stay in the language they were published in."""

    id: Slug
    aliases: Aliases
    added: Added
    updated: Updated
    kind: SourceKind
    authors: list[ShortText] = Field(default_factory=list)
    title: ShortText
    container: Union[ShortText, None] = Field(default=None, description="Journal, outlet or series.")
    publisher: Union[ShortText, None] = None
    date: Union[Date, None] = None
    pages: Union[ShortText, None] = None
    url: Union[HttpUrl, None] = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}$", description="ISO 639 code: fr, en, ru...")]
    description: Union[Prose, None] = None


class Note(_Model):
    """A footnote, shared by both languages: cited as [^id] from any prose."""

    id: Slug
    text: Prose
    source: SourceRef = None
    locator: Union[ShortText, None] = Field(default=None, description="Page or section in the source, e.g. 'p. 69'.")


class NoteFile(_Model):
    """The footnotes of one document, kept together in one file."""

    document: SourceRef = Field(
        default=None, description="The source these footnotes belong to (e.g. the paper they were printed in).")
    notes: Annotated[list[Note], Field(min_length=1)]


class DataPoint(_Model):
    period: Date
    value: Amount


class Dataset(_Entry):
    id: Slug
    aliases: Aliases
    added: Added
    updated: Updated
    title: Text
    description: Prose
    unit: Annotated[str, Field(pattern=r"^([A-Z]{3}|percent|count)$")]
    scale: Literal["one", "thousand", "million", "billion"] = "one"
    series_label: Text
    points: Annotated[list[DataPoint], Field(min_length=1)]
    note: Union[Prose, None] = None
    themes: ThemeRefs
    sources: Cited


# The model of each kind's files (core/kinds.py lists the kinds). Notes are entries too,
# but their files hold several (NoteFile).
KIND_MODELS: dict[KindId, type[_Model]] = {
    "event": Event,
    "equipment": Equipment,
    "actor": Actor,
    "source": Source,
    "theme": Theme,
    "dataset": Dataset,
    "note": NoteFile,
}
if set(KIND_MODELS) != set(KIND_IDS):
    raise ImportError("content/models.py: KIND_MODELS must give a model to every kind of core/kinds.py, and to no other")
# An entry of the library, as Library.get returns it.
Entry = Union[Theme, Event, Equipment, Actor, Source, Note, Dataset]
