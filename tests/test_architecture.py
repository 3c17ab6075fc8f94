"""The imports of the project run one way and never in a circle.

The order, lowest first (a package may import only from packages below it):

    rules (pure, no Django) ← units ← campaign ← scoring ← awards ← dashboard ← ops, perf ← config

The test reads every module's source (ast, nothing is imported) and follows every import,
those inside functions too: a lazy import is a dependency all the same, only discovered later.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS = {
    "rules": 0,
    "units": 1,
    "campaign": 2,
    "scoring": 3,
    "awards": 4,
    "dashboard": 5,
    "ops": 6,
    "perf": 6,
    "config": 7,
}
PURE = "rules"  # imports nothing of Django, nor of any package above it

def _modules() -> dict[str, Path]:
    found = {}
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The project module `name` is, or lives in (a name imported from a module); None if it
    is not ours."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path) -> set[str]:
    """Every module `module` imports, by absolute name (ours and others')."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{node.module}" if node.module else package
            else:
                base = node.module
            # `from package import module` names the module; `from module import name` the module
            submodules = {f"{base}.{alias.name}" for alias in node.names} & MODULES.keys()
            names.update(submodules if len(submodules) == len(node.names) else {base, *submodules})
    return names


def _graph() -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        targets = {_resolve(name) for name in _imports(module, path)}
        graph[module] = {t for t in targets if t is not None and t != module}
    return graph


GRAPH = _graph()


def _top(module: str) -> str:
    return module.partition(".")[0]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _against_the_order(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {
        (module, target)
        for module, targets in graph.items()
        for target in targets
        if _top(module) != _top(target) and LAYERS[_top(target)] >= LAYERS[_top(module)]
    }


def test_the_walk_sees_the_project_and_its_imports():
    # A walk that found nothing would pass everything below.
    assert {"units.models", "campaign.services", "scoring.rollup", "awards.views",
            "dashboard.views", "config.urls"} <= set(MODULES)
    assert "campaign.models" in GRAPH["scoring.models"]
    assert "awards.selectors" in GRAPH["awards.services.workflow"]  # a relative import


def test_the_checks_catch_a_cycle_and_an_import_against_the_order():
    graph = {"units.a": {"campaign.b"}, "campaign.b": {"units.a"}, "scoring.c": set()}
    assert _cycles(graph) == [["campaign.b", "units.a"]]
    assert _against_the_order(graph) == {("units.a", "campaign.b")}


def test_no_import_goes_against_the_order_of_the_packages():
    wrong = _against_the_order(GRAPH)
    assert not wrong, "\n".join(f"{a} imports {b}" for a, b in sorted(wrong))


def test_no_modules_import_each_other_in_a_circle():
    cycles = _cycles(GRAPH)
    assert not cycles, "\n".join(" ↔ ".join(c) for c in cycles)


def test_selectors_never_import_services():
    # Reads stay below writes: a service may read through a selector, never the other way.
    def is_services(module: str) -> bool:
        return "services" in module.split(".")

    wrong = {(module, target) for module, targets in GRAPH.items()
             if module.split(".")[-1] == "selectors" for target in targets if is_services(target)}
    assert not wrong, wrong


def test_the_pure_rules_import_nothing_of_django_nor_of_the_apps():
    impure = defaultdict(list)
    for module, path in MODULES.items():
        if _top(module) != PURE:
            continue
        for name in _imports(module, path):
            if name.partition(".")[0] == "django" or (
                _resolve(name) and _top(_resolve(name)) != PURE
            ):
                impure[module].append(name)
    assert not impure, dict(impure)
