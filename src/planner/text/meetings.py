"""B2B reasons and meeting descriptions in English (the codes and their parameters are the contract)."""

from __future__ import annotations

from collections.abc import Callable

from planner.domain.meetings import Reason


def _names(ids: str, name: Callable[[str], str]) -> str:
    parts = [name(part) for part in ids.split()]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def describe_reason(reason: Reason, name: Callable[[str], str] = str) -> str:
    """The reason a request is not scheduled, in a sentence; `name` turns an id into a display name."""
    params = dict(reason.params)
    code = reason.code
    if code == "no_common_session":
        return f"no B2B session is attended by all of {_names(params['participants'], name)}"
    if code == "not_in_allowed_sessions":
        return (f"the sessions it may go to ({_names(params['sessions'], name)}) are not among those its "
                f"participants share ({_names(params['shared'], name)})")
    if code == "participant_unavailable":
        return f"{name(params['participant'])} is unavailable in every slot of {_names(params['sessions'], name)}"
    if code == "no_common_free_slot":
        return f"its participants are never available at the same time in {_names(params['sessions'], name)}"
    if code == "counterpart_full":
        return f"counterpart {name(params['participant'])} is fully booked in every slot it could take"
    if code == "delegate_full":
        return f"delegate {name(params['participant'])} is fully booked in every slot it could take"
    if code == "tables_full":
        return f"every table of {_names(params['sessions'], name)} is taken in every slot it could take"
    if code == "slots_taken":
        return (f"in each of the {params['slots']} slots it could take, one of its participants meets someone "
                "else (requests of higher priority, or that fit better, came first)")
    return code.replace("_", " ")
