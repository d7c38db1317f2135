"""tools/layers.py: the shape check CI runs (import cycles, long modules, rich outside views, upward imports)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "layers.py"


@pytest.fixture(scope="module")
def layers():
    spec = importlib.util.spec_from_file_location("layers_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["layers_tool"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "src" / "planner"
    for relative, text in {"__init__.py": "", **files}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_clean_package_passes(layers, tmp_path, capsys):
    root = _package(tmp_path, {
        "domain/__init__.py": "from planner.domain.mission import Mission\n",
        "domain/mission.py": "class Mission: ...\n",
        "views/__init__.py": "",
        "views/show.py": "import rich\nfrom planner.domain import Mission\n",
        "cli/__init__.py": "from planner.views import show\n",
    })
    assert layers.main(["--root", str(root)]) == 0
    assert "0 import cycles" in capsys.readouterr().out


def test_a_cycle_through_a_lazy_import_is_counted_once(layers, tmp_path, capsys):
    root = _package(tmp_path, {
        "solver/__init__.py": "",
        "solver/solve.py": "def run():\n    from planner.solver import explain\n",
        "solver/explain.py": "from planner.solver.solve import run\n",
        "solver/third.py": "from . import explain\nfrom .solve import run\n",
    })
    report = layers.analyse(root)
    assert report.cycles == [["planner.solver.explain", "planner.solver.solve"]]
    assert layers.main(["--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "1 import cycles" in out and "planner.solver.solve -> planner.solver.explain (line 2)" in out


def test_rich_outside_the_views_and_long_modules_are_reported(layers, tmp_path):
    root = _package(tmp_path, {
        "check/__init__.py": "",
        "check/rules.py": "from rich.table import Table\n" + "x = 1\n" * 10,
    })
    report = layers.analyse(root, max_lines=5)
    assert [(module.name, line) for module, line in report.rich_imports] == [("planner.check.rules", 1)]
    assert [module.name for module in report.long_modules] == ["planner.check.rules"]


def test_imports_up_or_between_peers_are_reported(layers, tmp_path):
    root = _package(tmp_path, {
        "solver/__init__.py": "",
        "solver/solve.py": "from planner.views.overview import day_table\n",
        "check/__init__.py": "",
        "check/rules.py": "import planner.solver.solve\n",
        "views/__init__.py": "",
        "views/overview.py": "from planner.domain import Mission\nday_table = None\n",
        "domain/__init__.py": "Mission = None\n",
    })
    found = {(module.name, target) for module, target, _ in layers.analyse(root).upward_imports}
    assert found == {("planner.solver.solve", "planner.views.overview"),
                     ("planner.check.rules", "planner.solver.solve")}
