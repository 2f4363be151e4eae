"""The layout's rules, checked on the source: no import circles, no function-level import that
hides an edge, and no stage importing a later stage (collect < classify < locate < isolate <
report, the ground floor below them all; plugin_utils and the entry points above).
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Set, Tuple

PLUGINS = Path(__file__).resolve().parents[3] / "plugins"
PREFIX = "ansible_collections.camguard.network.plugins."

# function-level imports of collection modules that are allowed, with the reason
DEFERRED_OK = {
    # the generated policy data (tens of thousands of prefixes) loads only where something classifies
    ("module_utils._classify.policy", "module_utils._classify.policy_data"),
}

STAGES = ["_collect", "_classify", "_locate", "_isolate", "_report"]


def _modules() -> Dict[str, Path]:
    out = {}
    for p in PLUGINS.rglob("*.py"):
        parts = p.relative_to(PLUGINS).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = p
    return out


def _edges() -> Tuple[Dict[str, Set[str]], List[Tuple[str, str]]]:
    mods = _modules()
    top: Dict[str, Set[str]] = {m: set() for m in mods}
    deferred: List[Tuple[str, str]] = []
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_function = set()
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                in_function.update(id(n) for n in ast.walk(fn))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX)):
                continue
            base = node.module[len(PREFIX) :]
            targets = {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in mods} or {base}
            for t in targets:
                if id(node) in in_function:
                    deferred.append((name, t))
                elif t != name:
                    top[name].add(t)
    return top, deferred


def _stage(module: str) -> int:
    parts = module.split(".")
    if parts[0] != "module_utils" or len(parts) < 2:
        return len(STAGES)  # plugin_utils, entry points: above every stage
    return STAGES.index(parts[1]) if parts[1] in STAGES else -1  # -1: the ground floor


def test_no_import_circle() -> None:
    top, _unused = _edges()
    seen: Dict[str, int] = {}
    cycles: List[List[str]] = []

    def visit(m: str, stack: List[str]) -> None:
        seen[m] = 1
        stack.append(m)
        for n in sorted(top.get(m, ())):
            if seen.get(n) == 1:
                cycles.append([*stack[stack.index(n) :], n])
            elif n not in seen:
                visit(n, stack)
        stack.pop()
        seen[m] = 2

    for m in sorted(top):
        if m not in seen:
            visit(m, [])
    assert cycles == []


def test_no_deferred_import_hides_an_edge() -> None:
    _unused, deferred = _edges()
    assert sorted(set(deferred) - DEFERRED_OK) == []


def test_no_stage_imports_a_later_stage() -> None:
    top, _unused = _edges()
    upward = sorted((m, t) for m, ts in top.items() for t in ts if _stage(t) > _stage(m) and _stage(m) >= -1)
    upward = [(m, t) for m, t in upward if _stage(m) < len(STAGES)]
    assert upward == []


def test_the_ground_floor_imports_only_the_ground_floor() -> None:
    top, _unused = _edges()
    ground = {m for m in top if _stage(m) == -1 and m.startswith("module_utils.")}
    assert sorted((m, t) for m in ground for t in top[m] if t not in ground) == []
