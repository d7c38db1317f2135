"""`planner import`: registrations merged into a mission file, all or nothing.

Rows already in the mission (same id, same e-mail, or an id made from the name that the mission already
has) update that delegate; the same registration twice in the file (the same person of the same company,
or with no column of names the same company) is one delegate, and says so; new rows
become delegates with ids slugged from their names and unique across delegates and groups. With
`groups`, every imported delegate joins a group of its delegation (kind `delegation`) and one per sector
(kind `sector`), created when the mission lacks them. The new mission text is loaded before it is
written, atomically; any error leaves the file as it was.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slugify import slugify

from planner.domain import Mission, Source
from planner.domain.errors import InputError, InputErrors
from planner.mission.cells import workbook_bytes
from planner.mission.files import write_atomic
from planner.mission.load import load_mission, load_mission_text
from planner.mission.mission_edit import SectionEdit, edit_sections
from planner.mission.registration_terms import KIND_WORDS, Mapped, Terms, mission_terms
from planner.mission.registrations import (
    DELEGATE_KEYS,
    Registration,
    map_columns,
    normalise_header,
    parse_maps,
    read_table,
    registrations,
)
from planner.mission.workbook import is_workbook, mission_workbook, read_workbook
from planner.mission.yaml_reader import parse as parse_positioned


@dataclass
class ImportReport:
    rows: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    groups_added: list[str] = field(default_factory=list)
    groups_updated: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    blank_rows: int = 0
    notes: list[InputError] = field(default_factory=list)
    """Things worth knowing that are not errors: repeated companies, regions or sectors close to the
    mission's that were created anew."""
    mapped: list[Mapped] = field(default_factory=list)
    """Regions and sectors as written that became ids the mission already has, once each."""


def _merge_repeats(found: list[Registration], report: ImportReport) -> list[Registration]:
    """One registration per person of a company (per company without a name column): a later row's cells
    complete and correct the first one's."""
    first: dict[tuple[str, str], Registration] = {}
    for registration in found:
        key = registration.identity
        earlier = first.get(key)
        if earlier is None:
            first[key] = registration
            continue
        known = earlier.values.get("sectors", [])
        sectors = known + [sector for sector in registration.values.get("sectors", []) if sector not in known]
        names: dict[str, Any] = {key: earlier.values[key] for key in ("name", "organisation")
                                 if key in earlier.values}
        earlier.values.update(registration.values)
        earlier.values.update(names)  # the first spelling of the company stays
        if sectors:
            earlier.values["sectors"] = sectors
        earlier.sources.update(registration.sources)
        earlier.region = registration.region or earlier.region
        where = registration.sources.get("name") or registration.sources.get("organisation")
        assert where is not None  # a registration always has a name or a company
        report.notes.append(InputError(where, (
            f"{registration.who} is registered again (first on row {earlier.row}): one delegate, with the "
            "sectors of both rows and this later row's other values (size, e-mail, …)")))
    return list(first.values())


def _use_mission_terms(mission: Mission, found: list[Registration], report: ImportReport) -> None:
    """Each region and sector as written → the id the mission already has for it (`registration_terms`),
    said once per written value in `report.mapped`; a value that matches nothing stays as today, with a
    note when it is close to an id of the mission or could be one of several."""
    terms = mission_terms(mission)
    seen: dict[tuple[str, str], str | None] = {}

    def resolve(kind: str, written: str, fallback: str, where: Source) -> str:
        if (kind, written) not in seen:
            seen[kind, written] = _resolve(terms[kind], written, fallback, where, report)
        return seen[kind, written] or fallback

    for registration in found:
        if registration.region and "delegation" in registration.values:
            registration.values["delegation"] = resolve(
                "delegation", registration.region, registration.values["delegation"],
                registration.sources["delegation"])
        if "sectors" in registration.values:
            sectors: list[str] = []
            for sector in registration.values["sectors"]:
                known = resolve("sector", sector, sector, registration.sources["sectors"])
                if known not in sectors:
                    sectors.append(known)
            registration.values["sectors"] = sectors


def _resolve(terms: Terms, written: str, fallback: str, where: Source, report: ImportReport) -> str | None:
    known, how = terms.resolve(written)
    what = KIND_WORDS[terms.kind]
    if known is not None:
        if known != written:
            report.mapped.append(Mapped(terms.kind, written, known, how))
        return known
    if how:  # a name of a region or sector the mission has under several ids
        report.notes.append(InputError(where, (
            f"the {what} `{written}` could be {how} of the mission; it is imported as `{fallback}`: "
            f"write the id it means in the file, or correct the mission")))
        return None
    near = terms.near(written)
    if near is not None and near != fallback:
        report.notes.append(InputError(where, (
            f"the {what} `{written}` is no {what} of the mission, so it is imported as `{fallback}`; did you "
            f"mean `{near}`? If so, write `{near}` in the file and import again")))
    return None


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _existing(mission: Mission, registration: Registration) -> str | None:
    """The delegate this row is already in the mission as: same id, same e-mail, or the id its name makes
    (unless that delegate is of another company: a namesake, who got `-2` when imported)."""
    written_id = registration.values.get("id")
    if written_id in mission.delegates:
        return written_id
    email = registration.values.get("email")
    if email:
        for delegate in mission.delegates.values():
            if delegate.email and delegate.email.casefold() == email.casefold():
                return delegate.id
    if written_id is not None:
        return None
    slug = slugify(registration.name)
    organisation = normalise_header(registration.values.get("organisation") or "")
    named = mission.delegates.get(slug)
    if named is not None and not (organisation and named.organisation
                                  and normalise_header(named.organisation) != organisation):
        return slug
    if organisation:  # the namesake imported earlier as `alice-2`: the same name at the same company
        name = normalise_header(registration.name)
        for other in mission.delegates.values():
            if (normalise_header(other.name) == name and other.organisation
                    and normalise_header(other.organisation) == organisation):
                return other.id
    return None


def _entry(registration: Registration, delegate_id: str, old: dict[str, Any] | None) -> dict[str, Any]:
    """The delegate entry: the existing one with the row's values over it, keys in the format's order."""
    values = dict(registration.values)
    if "name" not in values and old is None:
        values["name"] = values["organisation"]
    if values.get("organisation") == values.get("name") and not (old and "organisation" in old):
        values.pop("organisation")
    entry = dict(old or {})
    entry["id"] = delegate_id
    for key in DELEGATE_KEYS:
        if key in values and key != "id":
            entry[key] = values[key]
    ordered = {key: entry[key] for key in DELEGATE_KEYS if key in entry}
    return {**ordered, **{key: value for key, value in entry.items() if key not in ordered}}


def _group_edits(mission: Mission, document: Any, members: dict[str, tuple[str, str, list[str]]],
                 report: ImportReport) -> SectionEdit:
    """group id → (name, kind, delegate ids): existing groups gain the members they lack, others are new."""
    edit = SectionEdit()
    raw_groups = document.get("groups") or []
    index_of = {raw.get("id"): index for index, raw in enumerate(raw_groups) if isinstance(raw, dict)}
    for group_id, (name, kind, delegate_ids) in members.items():
        if group_id in index_of:
            index = index_of[group_id]
            old = _plain(raw_groups[index])
            listed = [str(member) for member in old.get("members") or []]
            present = set(listed) | set(mission.groups[group_id].delegates)
            missing = [d for d in delegate_ids if d not in present]
            if missing:
                old["members"] = listed + missing
                edit.replace[index] = old
                report.groups_updated.append(group_id)
        else:
            edit.append.append({"id": group_id, "name": name, "kind": kind, "members": delegate_ids})
            report.groups_added.append(group_id)
    return edit


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node


def _groups_of(imported: list[tuple[Registration, str]], delegate_ids: set[str], group_ids: set[str]
               ) -> dict[str, tuple[str, str, list[str]]]:
    """Groups per delegation and per sector of the imported delegates (a sector that is a group's id, that
    group); ids clear of delegate ids."""
    groups: dict[str, tuple[str, str, list[str]]] = {}

    def join(base: str, name: str, kind: str, delegate_id: str) -> None:
        group_id = base if base not in delegate_ids else f"{base}-{kind}"
        _, _, listed = groups.setdefault(group_id, (name, kind, []))
        if delegate_id not in listed:
            listed.append(delegate_id)

    for registration, delegate_id in imported:
        delegation = registration.values.get("delegation")
        if delegation:
            join(delegation, registration.region or delegation, "delegation", delegate_id)
        for sector in registration.values.get("sectors", []):
            base = sector if sector in group_ids else slugify(sector) or "sector"
            join(base, sector, "sector", delegate_id)
    return groups


def import_registrations(file: str | Path, into: str | Path, maps: Sequence[str] = (), groups: bool = False,
                         sheet: str | None = None) -> ImportReport:
    """Merge the registrations of `file` into the mission file `into`; InputErrors (and no change) when any
    cell is bad."""
    report = ImportReport()
    try:
        table = read_table(file, sheet)
        columns = map_columns(table, parse_maps(maps))
        found, errors, report.blank_rows = registrations(table, columns)
    except InputErrors as failure:
        errors = failure.errors
    try:  # the mission's errors too, at once: a missing or broken --into is not left for the next run
        mission = load_mission(into)
    except InputErrors as failure:
        raise InputErrors([*errors, *failure.errors]) from None
    if errors:
        raise InputErrors(errors)
    report.ignored_columns = columns.ignored
    report.rows = len(found)
    mission_file = str(into)
    if is_workbook(into):
        text = ""
        document: Any = _plain(read_workbook(into)[0])
    else:
        text = Path(into).read_text(encoding="utf-8")
        document = parse_positioned(text, mission_file)
    raw_delegates = document.get("delegates") or []
    index_of = {raw.get("id"): index for index, raw in enumerate(raw_delegates) if isinstance(raw, dict)}
    taken = set(mission.delegates) | set(mission.groups)
    delegates = SectionEdit()
    imported: list[tuple[Registration, str]] = []
    claimed: dict[str, Registration] = {}
    found = _merge_repeats(found, report)
    _use_mission_terms(mission, found, report)
    for registration in found:
        existing = _existing(mission, registration)
        if existing is not None and existing in claimed:
            where = registration.sources.get("name") or registration.sources["organisation"]
            report.notes.append(InputError(where, (
                f"{registration.name} is the delegate `{existing}` too (as row {claimed[existing].row}); "
                "this row updates it again")))
        if existing is not None:
            claimed[existing] = registration
            old = _plain(raw_delegates[index_of[existing]])
            entry = _entry(registration, existing, old)
            if entry != old:
                delegates.replace[index_of[existing]] = entry
                report.updated.append(existing)
            else:
                report.unchanged.append(existing)
            imported.append((registration, existing))
            continue
        delegate_id = registration.values.get("id") or _unique(slugify(registration.name) or "delegate",
                                                                taken)
        if delegate_id in mission.groups or delegate_id in report.added:
            errors.append(InputError(registration.sources["id"], (
                f"`{delegate_id}` is already the id of a "
                f"{'group' if delegate_id in mission.groups else 'row above'}; ids are unique across "
                f"delegates and groups: write another, e.g. `{delegate_id}-2`")))
            continue
        taken.add(delegate_id)
        delegates.append.append(_entry(registration, delegate_id, None))
        report.added.append(delegate_id)
        imported.append((registration, delegate_id))
    if errors:
        raise InputErrors(errors)
    edits = {"delegates": delegates}
    if groups:
        members = _groups_of(imported, set(mission.delegates) | set(report.added), set(mission.groups))
        edits["groups"] = _group_edits(mission, document, members, report)
    if is_workbook(into):
        _write_workbook(Path(into), document, edits)
        return report
    new_text = edit_sections(text, mission_file, edits)
    if new_text != text:
        load_mission_text(new_text, mission_file)  # the result must be a valid mission, or nothing is written
        write_atomic(Path(into), new_text)
    return report


def _write_workbook(path: Path, document: dict[str, Any], edits: dict[str, SectionEdit]) -> None:
    """The edits applied to a workbook's document, written again as a workbook (its content, not its own
    formatting, is kept), once it has loaded as a valid mission."""
    if not any(edit.replace or edit.append for edit in edits.values()):
        return
    for section, edit in edits.items():
        entries = list(document.get(section) or [])
        for index, entry in edit.replace.items():
            entries[index] = entry
        document[section] = entries + edit.append
    data = workbook_bytes(mission_workbook(document))
    with tempfile.TemporaryDirectory(dir=path.parent) as folder:
        candidate = Path(folder) / path.name
        candidate.write_bytes(data)
        load_mission(candidate)  # errors would name the candidate's cells; none are expected
    write_atomic(path, data)
