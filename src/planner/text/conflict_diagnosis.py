"""A minimal set of statements from CP-SAT's infeasibility proof (conflict code `diagnosis`), in words: who
must attend what, then what stands in the way (`limits`), each statement followed by its position.

As in planner.text.conflicts, every sentence is a gettext message whose English is schedule.json's
sentence, so that the same parameters are worded for schedule.json (English) and for a reader of another
language (the page of a mission with no programme).
"""

from __future__ import annotations

from planner.domain.rules import rule_kinds
from planner.text.conflict_phrases import (
    ENGLISH,
    Params,
    activities_phrase,
    daily_range,
    duration_text,
    join_and,
    minutes_text,
    plus_gap,
    quoted,
    rule_where,
    span_text,
    trips,
)
from planner.text.format import format_clock
from planner.text.i18n import SOURCE_LANGUAGE, Words
from planner.text.vocabulary import kind_label


def travel_takes(origin: str, destination: str, minutes: int, words: Words = ENGLISH) -> str:
    """'Google → Fairmont takes 75 min': a travel time, which is a fact of the mission, no statement."""
    return words.gettext("%(from)s → %(to)s takes %(duration)s") % {
        "from": origin, "to": destination, "duration": minutes_text(minutes, words)}


def _accompany(limit: Params, who: str, where: str, words: Words) -> str:
    principal = ", ".join(limit["principals"]) or limit["principal"]
    said = {"who": who, "principal": principal, "where": where}
    if not limit["kinds"]:
        return words.gettext("%(who)s must accompany %(principal)s everywhere (%(where)s)") % said
    # The kinds are the mission's codes; a conventional one (`visit`) is said in the reader's words.
    kinds = (limit["kinds"] if words.language == SOURCE_LANGUAGE
             else [kind_label(words, kind) for kind in limit["kinds"]])
    return words.gettext("%(who)s must accompany %(principal)s to every %(kinds)s (%(where)s)") % {
        **said, "kinds": "/".join(kinds)}


def _rule_limit(limit: Params, words: Words) -> str:
    """A rule of a minimal set in the mission's words, with its file position."""
    who = ", ".join(limit["delegates"]) or limit["who"]
    where = rule_where(limit["rule"], limit["source"], words)
    kind = limit["kind"]
    if kind == "min_gap":
        return words.gettext("%(who)s needs the %(gap)s protocol gap between activities (%(where)s)") % {
            "who": who, "gap": minutes_text(limit["gap"], words), "where": where}
    if kind == "lunch":
        return words.gettext("%(who)s needs a %(duration)s lunch break off the road within %(hours)s "
                             "(%(where)s)") % {
            "who": who, "duration": duration_text(limit["duration"], words),
            "hours": daily_range(limit["between"]), "where": where}
    if kind == "accompany":
        return _accompany(limit, who, where, words)
    # A rule kind of the registry words its own statement (planner.domain.rules.RuleKind.statement).
    statement = rule_kinds()[kind].statement
    said = (statement(limit["details"], who) if words.language == SOURCE_LANGUAGE
            else statement(limit["details"], who, words.language))
    return f"{said} ({where})"


def _venue_capacity(limit: Params, words: Words) -> str:
    said = {"venue": limit["venue"], "capacity": limit["capacity"], "source": limit["source"]}
    if not limit["over"]:
        return words.gettext("%(venue)s holds %(capacity)s people (%(source)s)") % said
    over = [words.gettext("the %(count)s of %(title)s") % {
        "count": entry["count"], "title": quoted(entry["title"], words)} for entry in limit["over"]]
    return words.gettext("%(venue)s holds %(capacity)s people (%(source)s), fewer than %(over)s") % {
        **said, "over": join_and(over, words)}


def _lodging(limit: Params, words: Words) -> str:
    said = {"delegate": limit["delegate"], "hotel": limit["hotel"], "leave": format_clock(limit["leave"]),
            "source": limit["source"]}
    if not limit["trips"]:
        return words.gettext("%(delegate)s leaves %(hotel)s no earlier than %(leave)s (%(source)s)") % said
    trips_said = join_and(trips(limit["hotel"], limit["trips"], words), words)
    return words.gettext("%(delegate)s leaves %(hotel)s no earlier than %(leave)s (%(source)s), and "
                         "%(trips)s") % {**said, "trips": trips_said}


def _limit(limit: Params, words: Words) -> str:
    case = limit["case"]
    if case == "travel":
        return travel_takes(limit["from"], limit["to"], limit["minutes"], words)
    if case == "after":
        return words.gettext("%(follower)s must start after %(predecessor)s ends%(gap)s (%(source)s)") % {
            "follower": quoted(limit["follower"], words), "predecessor": quoted(limit["predecessor"], words),
            "gap": plus_gap(limit["gap"], words), "source": limit["source"]}
    if case == "unavailable":
        said = {"delegate": limit["delegate"], "source": limit["source"]}
        if limit["span"] is None:
            return words.gettext("%(delegate)s is unavailable at some time (%(source)s)") % said
        return words.gettext("%(delegate)s is unavailable %(span)s (%(source)s)") % {
            **said, "span": span_text(limit["span"])}
    if case == "venue-parallel":
        return words.ngettext("%(venue)s hosts one activity at a time (%(source)s)",
                              "%(venue)s hosts %(count)s activities at a time (%(source)s)",
                              limit["parallel"]) % {
            "venue": limit["venue"], "count": limit["parallel"], "source": limit["source"]}
    if case == "venue-capacity":
        return _venue_capacity(limit, words)
    if case == "lodging":
        return _lodging(limit, words)
    if case == "rule":
        return _rule_limit(limit, words)
    if case == "unknown-rule":
        return words.gettext("rule %(rule)s (%(source)s)") % {
            "rule": limit["rule"], "source": limit["source"]}
    # A statement describe_core cannot word otherwise: its kind's code and ids, as the solver names it.
    return f"{limit['kind']} {' '.join(limit['ids'])} ({limit['source']})"


def _clause(clause: Params, words: Words) -> str:
    activities = activities_phrase(clause["activities"], words)
    if not clause["delegates"]:
        return words.ngettext("%(activities)s must take place", "%(activities)s must take place",
                              len(clause["activities"])) % {"activities": activities}
    return words.ngettext("%(who)s must attend %(activities)s", "%(who)s must attend %(activities)s",
                          len(clause["delegates"])) % {
        "who": join_and(clause["delegates"], words), "activities": activities}


def diagnosis(p: Params, words: Words = ENGLISH) -> str:
    """The conflict `diagnosis`: its clauses, then its limits."""
    head = "; ".join(_clause(clause, words) for clause in p["clauses"]) or words.gettext("these statements")
    limits = list(dict.fromkeys(_limit(limit, words) for limit in p["limits"]))
    if limits:
        return words.gettext("%(statements)s, but %(limits)s") % {
            "statements": head, "limits": join_and(limits, words)}
    return words.gettext("%(statements)s, and there is no way to fit them all in the times allowed") % {
        "statements": head}
