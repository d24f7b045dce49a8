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


# The order of docs/architecture.md: a package may import only packages of a lower rank.
RANKS = {
    "gazetteer.errors": 0, "gazetteer.paths": 0, "gazetteer.names": 1, "gazetteer.model": 1,
    "gazetteer.boundaries": 1, "gazetteer.layers": 2, "gazetteer.mentions": 2, "gazetteer.index": 3,
    "gazetteer.resolve": 3, "gazetteer.geoparser": 4, "gazetteer": 5,
    "geo": 6, "geo.errors": 6, "geo.model": 6, "geo.read": 7, "geo.extract": 8, "geo.merge": 9,
    "geo.outputs": 10, "geo.maps": 11, "geo.store": 12, "geo.run": 13, "geo.evaluate": 14, "geo.cli": 15,
    "geo.__main__": 16,
}


def _package(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] not in ("geo", "gazetteer"):
        return None
    name = ".".join(parts[:2])
    return name if name in RANKS else parts[0]


def _module_of(path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_modules(path) -> set[str]:
    """Every module named by an import; `from a import b` names `a.b` (b may be a module)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


ALL_MODULES = sorted((ROOT / "geo").rglob("*.py")) + GAZETTEER_MODULES


@pytest.mark.parametrize("path", ALL_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_pipeline_order(path):
    here = _package(_module_of(path))
    assert here in RANKS, f"{path} is in no package of docs/architecture.md"
    upward = sorted(name for name in _imported_modules(path)
                    if (there := _package(name)) and there != here and RANKS[there] >= RANKS[here])
    assert not upward, f"{path.relative_to(ROOT)} imports {upward}, which come later in the pipeline"


def test_the_layout_test_knows_every_package():
    packages = {_package(_module_of(p)) for p in ALL_MODULES}
    assert packages <= set(RANKS), packages - set(RANKS)
    assert "geo.extract" in packages and "gazetteer.resolve" in packages
