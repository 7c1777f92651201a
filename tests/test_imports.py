"""The product's modules import each other in one direction: no cycle, counting imports inside
functions too (a function-level import only hides a cycle). Only the application factory and the
CLI, which put everything together, may import everything; they are left out of the graph.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "wellbeing"
#: Modules that assemble the whole product and so may import any other.
ASSEMBLERS = {"wellbeing.app", "wellbeing.cli"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the product modules it imports anywhere in its text (top level or in functions).
    ``from a.b import c`` counts as importing ``a.b.c`` when that is a module, else ``a.b``."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
                for alias in node.names:
                    child = f"{base}.{alias.name}"
                    targets.add(child if child in modules else base)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def product_graph() -> dict[str, set[str]]:
    graph = import_graph()
    return {name: targets - ASSEMBLERS for name, targets in graph.items() if name not in ASSEMBLERS}


def test_the_walk_sees_imports_inside_functions():
    graph = import_graph()
    assert "wellbeing.db" in graph["wellbeing.app"]  # top level
    assert "wellbeing.instruments.registry" in graph["wellbeing.app"]  # inside load_instruments


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_among_the_products_modules():
    found = cycles(product_graph())
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_only_the_factory_and_the_cli_import_the_factory_or_the_cli():
    graph = import_graph()
    offenders = sorted(name for name, targets in graph.items() if targets & ASSEMBLERS and name not in ASSEMBLERS)
    assert not offenders, offenders


def test_the_web_charts_take_their_colours_from_the_palette_not_the_pdf_style():
    graph = import_graph()
    for web in ("wellbeing.overview.charts", "wellbeing.cycle.charts", "wellbeing.reports.html"):
        assert "wellbeing.reports.pdf_style" not in graph[web], web
    assert "wellbeing.palette" in graph["wellbeing.overview.charts"]
    assert "wellbeing.palette" in graph["wellbeing.reports.pdf_style"]


def function_level_imports() -> dict[str, list[int]]:
    """Module -> lines of the product imports it makes inside a function."""
    found: dict[str, list[int]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("wellbeing")) \
                        or isinstance(node, ast.Import) and any(a.name.startswith("wellbeing") for a in node.names):
                    found.setdefault(name, []).append(node.lineno)
    return found


def test_the_lazy_import_finder_sees_one():
    assert function_level_imports().get("wellbeing.app")  # the factory imports its blueprints inside steps


def test_no_function_level_import_of_the_product_outside_the_factory_and_the_cli():
    """With no cycle left, a product import inside a function only hides a dependency."""
    lazy = {name: lines for name, lines in function_level_imports().items() if name not in ASSEMBLERS}
    assert not lazy, lazy
