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
    "gazetteer.errors": 0, "gazetteer.paths": 0, "gazetteer.datafiles": 0, "gazetteer.names": 1, "gazetteer.model": 1,
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


def _module_of(path, root=ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
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


def _lazy_imports_without_reason(path) -> list[int]:
    """Lines of imports inside functions (our modules, libraries, the standard library) with no `# lazy:` comment
    on them or just above their run."""
    lines = path.read_text(encoding="utf-8").splitlines()
    missing = []
    for function in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or "# lazy:" in lines[node.lineno - 1]:
                continue
            above = node.lineno - 2
            while above >= 0 and lines[above].lstrip().startswith(("from ", "import ")):
                above -= 1
            if above < 0 or not lines[above].lstrip().startswith("# lazy:"):
                missing.append(node.lineno)
    return sorted(set(missing))


@pytest.mark.parametrize("path", ALL_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_an_import_inside_a_function_says_why_it_is_lazy(path):
    missing = _lazy_imports_without_reason(path)
    assert not missing, (f"{path.relative_to(ROOT)}: imports inside functions at lines {missing}; move them to the top, "
                         "or say why not in a `# lazy:` comment (the heavy or optional library and who would pay for it)")


def test_the_lazy_import_check_finds_an_import_without_a_reason(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    x = 1\n    from geo.model import Article\n\n\n"
                      "def g():\n    # lazy: a cycle\n    from geo.model import Article\n    import geo.errors\n\n\n"
                      "def h():\n    import shapely\n    from json import dumps\n\n\n"
                      "def i():\n    import matplotlib  # lazy: heavy\n", encoding="utf-8")
    assert _lazy_imports_without_reason(module) == [3, 13, 14]


def _first_party_imports(path, modules: set[str]) -> set[str]:
    """The modules of `modules` that `path` imports anywhere: at top, inside functions, under `if TYPE_CHECKING`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.update({node.module} & modules)
            found.update(name for alias in node.names if (name := f"{node.module}.{alias.name}") in modules)
    return found


def _import_cycle(paths, root=ROOT) -> list[str] | None:
    """One cycle of the import graph of the modules at `paths` (a -> b -> a), or None if there is none."""
    modules = {_module_of(path, root): path for path in paths}
    graph = {name: _first_party_imports(path, set(modules)) - {name} for name, path in modules.items()}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> list[str] | None:
        if name in trail:
            return trail[trail.index(name):] + [name]
        if name in done:
            return None
        for imported in sorted(graph[name]):
            if cycle := visit(imported, trail + [name]):
                return cycle
        done.add(name)
        return None

    return next((cycle for name in sorted(graph) if (cycle := visit(name, []))), None)


def test_no_import_cycle():
    """Not at module level, not through an import inside a function, not through a type-only import."""
    cycle = _import_cycle(ALL_MODULES)
    assert cycle is None, ("import cycle: " + " -> ".join(cycle or []) + "; move what both need into a lower "
                           "module, let the lower layer fill a registry, or pass the dependency in")


def test_the_cycle_check_sees_imports_inside_functions_and_for_typing(tmp_path):
    (tmp_path / "geo").mkdir()
    (tmp_path / "geo" / "a.py").write_text("import geo.b\n", encoding="utf-8")
    (tmp_path / "geo" / "b.py").write_text("def f():\n    from geo.a import x\n", encoding="utf-8")
    (tmp_path / "geo" / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from geo import d\n",
                                           encoding="utf-8")
    (tmp_path / "geo" / "d.py").write_text("from geo.c import y\n", encoding="utf-8")
    paths = sorted((tmp_path / "geo").glob("*.py"))
    assert _import_cycle(paths[:2], tmp_path) == ["geo.a", "geo.b", "geo.a"]
    assert _import_cycle(paths[2:], tmp_path) == ["geo.c", "geo.d", "geo.c"]
    (tmp_path / "geo" / "b.py").write_text("def f():\n    from geo.c import x\n", encoding="utf-8")
    assert _import_cycle(paths[:3], tmp_path) is None
