"""Templates read only what their typed contexts have (after datasette's template-context test).

Every attribute a template reads (`p.goals`, `g.status.label` inside
`{% for g in p.goals %}`) is checked statically against the dataclasses of
`generator.views.contexts`, on every branch, so a renamed or removed field
fails here instead of in some rarely rendered corner of a page.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes

from generator.render import pages
from generator.views import contexts

from .conftest import ROOT

ENV_GLOBALS = {"L", "S", "lang", "page_numbers", "sections", "loop", "range", "caller"}


def _strip(tp: object) -> object:
    """`X | None` → X; other types unchanged."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else None
    return tp


def _element(tp: object) -> object:
    """The element type of `list[X]` / `tuple[X, ...]`, else unknown (None)."""
    tp = _strip(tp)
    if typing.get_origin(tp) in (list, tuple) and typing.get_args(tp):
        return typing.get_args(tp)[0]
    return None


def _fields(tp: object) -> dict[str, object] | None:
    tp = _strip(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return typing.get_type_hints(tp)
    return None


class Checker:
    """Walks a template's syntax tree, tracking the type of each name."""

    def __init__(self, env: jinja2.Environment, name: str):
        self.env, self.name, self.problems = env, name, []

    def type_of(self, node: nodes.Node, scope: dict[str, object]) -> object:
        if isinstance(node, nodes.Name):
            if node.name not in scope and node.name not in ENV_GLOBALS:
                self.problems.append(f"{self.name}:{node.lineno}: unknown name {node.name!r}")
            return scope.get(node.name)
        if isinstance(node, nodes.Getattr):
            owner = self.type_of(node.node, scope)
            fields = _fields(owner)
            if fields is None:
                return None
            if node.attr not in fields:
                self.problems.append(f"{self.name}:{node.lineno}: {_strip(owner).__name__} "
                                     f"has no field {node.attr!r}")
                return None
            return fields[node.attr]
        self.walk_children(node, scope)
        return None

    def walk_children(self, node: nodes.Node, scope: dict[str, object]) -> None:
        for child in node.iter_child_nodes():
            self.walk(child, scope)

    def walk(self, node: nodes.Node, scope: dict[str, object]) -> None:
        if isinstance(node, nodes.For):
            element = _element(self.type_of(node.iter, scope))
            inner = dict(scope)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = element
            for target in node.target.find_all(nodes.Name):  # unpacked tuples: untyped
                inner[target.name] = None
            for child in [*node.body, *node.else_]:
                self.walk(child, inner)
            if node.test is not None:
                self.walk(node.test, inner)
        elif isinstance(node, nodes.Macro):
            inner = {**scope, **{a.name: None for a in node.args}}  # parameters: untyped
            for child in node.body:
                self.walk(child, inner)
        elif isinstance(node, nodes.FromImport | nodes.Import):
            for name in (node.names if isinstance(node, nodes.FromImport) else [node.target]):
                scope[name if isinstance(name, str) else name[-1]] = None
        elif isinstance(node, nodes.Assign):  # {% set b = p.budget %}: b is a BudgetView
            value = self.type_of(node.node, scope)
            for target in node.target.find_all(nodes.Name):
                scope[target.name] = None
            if isinstance(node.target, nodes.Name):
                scope[node.target.name] = value
        elif isinstance(node, nodes.Name | nodes.Getattr):
            self.type_of(node, scope)
        else:
            self.walk_children(node, scope)

    def check(self, source: str, scope: dict[str, object]) -> list[str]:
        self.walk(self.env.parse(source), dict(scope))
        return self.problems


def _source(env: jinja2.Environment, name: str) -> str:
    assert env.loader is not None
    return env.loader.get_source(env, name)[0]


@pytest.mark.parametrize("context", contexts.CONTEXTS, ids=lambda c: c.template)
@pytest.mark.parametrize("folder", [None, ROOT / "site_templates"], ids=["built-in", "demo"])
def test_templates_read_only_fields_of_their_context(context: type, folder: Path | None):
    env = pages.environment(folder, "zh")
    scope = {k: v for k, v in typing.get_type_hints(context).items() if k != "template"}
    name = context.template
    problems = Checker(env, name).check(_source(env, name), scope)
    # an override that extends the built-in page is checked with the same context
    for parent in env.parse(_source(env, name)).find_all(nodes.Extends):
        parent_name = parent.template.value  # type: ignore[attr-defined]
        problems += Checker(env, parent_name).check(_source(env, parent_name), scope)
    assert problems == []


def test_the_checker_catches_a_misspelt_field():
    env = pages.environment(None, "zh")
    source = "{% for g in p.goals %}{{ g.atainment }}{% endfor %}{{ p.titel }}"
    scope = {"p": typing.get_type_hints(contexts.PlanPage)["p"]}
    assert Checker(env, "t").check(source, scope) == [
        "t:1: GoalRow has no field 'atainment'", "t:1: PlanView has no field 'titel'"]


def test_every_page_template_has_a_context():
    templates = {p.name for p in pages.PACKAGE_TEMPLATES.glob("*.j2")
                 if not p.name.startswith("_")}
    assert templates == {c.template for c in contexts.CONTEXTS}
