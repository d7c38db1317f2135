"""Names are listed as a reader expects them: accents and case do not change the alphabetical order."""

from __future__ import annotations

import re
from dataclasses import replace

from planner.mission.load import load_mission
from planner.pipeline import SolveOptions, solve
from planner.text.collation import alphabetical, folded
from planner.views.overview import overview_html


def test_accents_and_case_are_set_aside_then_break_ties():
    names = ["Yves", "Élodie", "eric", "Émile", "Eric", "Zoë", "Zoe"]
    assert sorted(names, key=alphabetical) == ["Élodie", "Émile", "Eric", "eric", "Yves", "Zoe", "Zoë"]
    assert folded("Eléonore Simonet") == "eleonore simonet"


def test_the_overviews_list_of_delegates_is_alphabetical_with_accented_names(example_small_path):
    mission = load_mission(example_small_path)
    mission = replace(mission, delegates={**mission.delegates,
                                          "odoo": replace(mission.delegates["odoo"], name="Écolab")})
    schedule = solve(mission, SolveOptions(time_limit=10, progress=False))
    page = overview_html(mission, schedule)
    listed = re.findall(r'<option value="[^"]+">([^<]+)</option>', page.split('id="delegate-filter"')[1])
    assert listed == sorted(listed, key=alphabetical)
    assert listed.index("Écolab") < listed.index("FN Herstal")


def test_a_row_named_for_its_sector_in_french_gets_no_second_sector_tag(example_small_path):
    """The overview tags a sector's row 'secteur' unless its name says so already, in the page's language
    (before, only the English word counted: 'Secteur numérique secteur')."""
    mission = load_mission(example_small_path)
    tech = replace(mission.groups["tech"], name="Secteur numérique")
    track = replace(mission.groups["royal-track"], name="Mission princière")
    mission = replace(mission, language="fr", groups={**mission.groups, "tech": tech, "royal-track": track})
    schedule = solve(mission, SolveOptions(time_limit=10, progress=False))
    labels = re.findall(r'<div class="row-label" title="[^"]*">(.*?)</div>', overview_html(mission, schedule))
    assert "Secteur numérique" in labels
    assert "Mission princière <small>parcours</small>" in labels
