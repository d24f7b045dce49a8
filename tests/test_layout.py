"""Package boundaries from the house style: `gazetteer` knows places and never imports `geo`."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

GAZETTEER_MODULES = sorted((ROOT / "gazetteer").rglob("*.py"))


def _imported(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", GAZETTEER_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_gazetteer_never_imports_geo(path):
    offending = {name for name in _imported(path) if name == "geo" or name.startswith("geo.")}
    assert not offending, f"{path.name} imports {sorted(offending)}"


@pytest.mark.parametrize("path", sorted((ROOT / "geo").rglob("*.py")) + GAZETTEER_MODULES,
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_under_600_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) < 600
