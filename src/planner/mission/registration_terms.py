"""Regions and sectors of registrations → the ids a mission already uses for them.

An agency writes `Wallonie-Bruxelles` or `Agroalimentaire` where the mission says `wallonia-brussels` and
`agri-food`. A written region or sector is the mission's id when it names it exactly once case, accents,
spaces and punctuation are set aside (`Agri food` is `agri-food`), names a group of that kind by its name
(`Audiovisual companies` is `audiovisual`), or is an alias of the same region or sector in French, Dutch,
German or English (`Wallonie`, `Wallonien`, `Waals Gewest` are `wallonia-brussels` in a mission whose only
Walloon delegation that is). Nothing is guessed: a value merely close to an id (`Wallonie-Brux`) is created
as written, and said with the id it may mean, so two different things are never silently merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from slugify import slugify

from planner.domain import Mission
from planner.mission.hints import closest
from planner.text.collation import folded

_REGIONS = {
    "wallonia": ("wallonia", "wallonie", "wallonië", "region wallonne", "waals gewest", "walloon region",
                 "wallonie-bruxelles", "wallonia-brussels", "wallonien", "wallonische region"),
    "brussels": ("brussels", "bruxelles", "brussel", "region de bruxelles-capitale", "bruxelles-capitale",
                 "brussels-capital region", "brussels hoofdstedelijk gewest", "brussels capital region",
                 "region brussel-hauptstadt", "brussel-hauptstadt"),
    "flanders": ("flanders", "flandre", "vlaanderen", "region flamande", "vlaams gewest", "flemish region",
                 "flandern", "flamische region"),
}
"""Belgian regions in French, Dutch, German and English, by the ids of the examples."""

_SECTORS = {
    "agri-food": ("agri-food", "agrifood", "agroalimentaire", "agro-alimentaire", "agroalimentation",
                  "agrovoeding", "voedingsindustrie", "agro-voeding", "lebensmittel", "lebensmittelindustrie",
                  "agrar- und ernahrungswirtschaft", "food", "food and drink", "agriculture and food"),
    "digital": ("digital", "numerique", "digitaal", "digitale", "ict", "tic", "digitalisierung"),
    "life-sciences": ("life sciences", "sciences du vivant", "sciences de la vie", "biowetenschappen",
                      "levenswetenschappen", "biowissenschaften", "life science"),
    "audiovisual": ("audiovisual", "audiovisuel", "audiovisueel", "audiovisuell", "audiovisuelle medien"),
    "automotive": ("automotive", "automobile", "automobiel", "automobilindustrie", "autosector",
                   "automobilzulieferer"),
    "aerospace": ("aerospace", "aeronautique", "aerospatial", "aeronautique et spatial",
                  "lucht- en ruimtevaart", "luchtvaart", "luft- und raumfahrt", "ruimtevaart", "spatial",
                  "space"),
    "energy": ("energy", "energie", "energies"),
    "logistics": ("logistics", "logistique", "logistiek", "logistik", "transport et logistique"),
    "culture": ("culture", "cultuur", "kultur"),
    "chemistry": ("chemistry", "chemicals", "chimie", "chemie"),
    "health": ("health", "sante", "gezondheid", "gesundheit", "gezondheidszorg"),
    "construction": ("construction", "bouw", "bau", "bauwesen", "bouwsector"),
    "environment": ("environment", "environnement", "milieu", "umwelt", "cleantech"),
    "defence": ("defence", "defense", "defensie", "verteidigung"),
    "education": ("education", "enseignement", "onderwijs", "bildung"),
    "tourism": ("tourism", "tourisme", "toerisme", "tourismus"),
}
"""Usual sectors of a trade mission in French, Dutch, German and English."""


def key(text: str) -> str:
    """`Agri food`, `AGRI-FOOD`, `agri_food` → `agri-food`: case and accents aside (`planner.text.collation`),
    every run of other characters one `-`."""
    return re.sub(r"[^a-z0-9]+", "-", folded(text)).strip("-")


def _aliases(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {key(name): canonical for canonical, names in table.items() for name in (canonical, *names)}


_REGION_ALIASES = _aliases(_REGIONS)
_SECTOR_ALIASES = _aliases(_SECTORS)


def delegation_of(region: str) -> str:
    """The delegation id of a region as written, before any mission is consulted: Belgian regions in four
    languages by their usual ids (`wallonia`, `brussels`, `flanders`, as in the examples), any other region
    slugged."""
    return _REGION_ALIASES.get(key(region)) or slugify(region) or "delegation"


KIND_WORDS = {"delegation": "region", "sector": "sector"}


@dataclass
class Mapped:
    """A written value that became an id the mission already has."""

    kind: str
    """`delegation` or `sector`."""
    written: str
    id: str
    how: str
    """`the same id`, `the name of the group …`, `a name of the same region`, …"""


@dataclass
class Terms:
    """The delegations or the sectors of a mission: what each of its ids can be written as."""

    kind: str
    ids: dict[str, str] = field(default_factory=dict)
    """key(id) → id."""
    names: dict[str, str] = field(default_factory=dict)
    """key(a group's name) → the group's id."""

    def resolve(self, written: str) -> tuple[str | None, str]:
        """The mission's id for a written value, and how it was found; None when nothing matches (with the
        ids it could mean when it is a name of a region or sector the mission has under several ids)."""
        wanted = key(written)
        if wanted in self.ids:
            return self.ids[wanted], "the same id, case and accents aside"
        if wanted in self.names:
            return self.names[wanted], "the name of that group"
        aliases = _REGION_ALIASES if self.kind == "delegation" else _SECTOR_ALIASES
        canonical = aliases.get(wanted)
        if canonical is None:
            return None, ""
        found = sorted({known for table in (self.ids, self.names) for written_key, known in table.items()
                        if aliases.get(written_key) == canonical})
        if canonical in found:
            return canonical, f"a name of the same {KIND_WORDS[self.kind]}"
        if len(found) == 1:
            return found[0], f"a name of the same {KIND_WORDS[self.kind]}"
        return None, " or ".join(f"`{known}`" for known in found)

    def near(self, written: str) -> str | None:
        """The id a value that matched nothing may mean (for a message, never a merge): the one whose id,
        group name or alias of its region or sector is closest to it."""
        aliases = _REGION_ALIASES if self.kind == "delegation" else _SECTOR_ALIASES
        candidates = {**{alias: self.resolve(alias)[0] for alias in aliases}, **self.names, **self.ids}
        found = closest(key(written), [alias for alias, known in candidates.items() if known], cutoff=0.75)
        return candidates[found] if found is not None else None


def mission_terms(mission: Mission) -> dict[str, Terms]:
    """The mission's delegations (delegates' `delegation`, groups of kind `delegation`) and sectors
    (delegates' `sectors`, groups of kind `sector`)."""
    terms = {kind: Terms(kind) for kind in KIND_WORDS}
    for delegate in mission.delegates.values():
        if delegate.delegation:
            terms["delegation"].ids.setdefault(key(delegate.delegation), delegate.delegation)
        for sector in delegate.sectors:
            terms["sector"].ids.setdefault(key(sector), sector)
    for group in mission.groups.values():
        if group.kind in terms:
            terms[group.kind].ids.setdefault(key(group.id), group.id)
    for group in mission.groups.values():
        if group.kind in terms and group.name and key(group.name) not in terms[group.kind].ids:
            terms[group.kind].names.setdefault(key(group.name), group.id)
    return terms
