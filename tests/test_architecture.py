"""The package's shape: importing it changes nothing, compute knows no words, one error family."""

from __future__ import annotations

import ast
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from generator import build
from generator.errors import MxtError

from .conftest import ROOT

PACKAGE = Path(build.__file__).resolve().parent

IMPORT_EVERYTHING = """
import gc, json, os, pkgutil, importlib, sys
env, enabled, frozen = dict(os.environ), gc.isenabled(), gc.get_freeze_count()
import generator
names = sorted(m.name for m in pkgutil.walk_packages(generator.__path__, "generator.")
               if m.name != "generator.__main__")
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": len(names), "env_same": dict(os.environ) == env,
                  "added": sorted(set(os.environ) - set(env)),
                  "gc_same": gc.isenabled() == enabled and gc.get_freeze_count() == frozen,
                  "pyplot": "matplotlib.pyplot" in sys.modules}))
"""


def test_importing_every_module_changes_no_global_state():
    out = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True,
                         text=True, check=True, cwd=ROOT, env={**os.environ})
    found = json.loads(out.stdout)
    assert found["modules"] >= 40
    assert found["env_same"], found["added"]
    assert found["gc_same"]
    assert not found["pyplot"]  # charts draw on their own figures: no global figure registry


def test_the_library_leaves_the_collector_and_environment_as_they_were():
    env, enabled = dict(os.environ), gc.isenabled()
    build.compute(ROOT)
    assert gc.isenabled() == enabled and dict(os.environ) == env


def test_the_command_line_policy_restores_what_it_changes():
    from generator.policy import CommandLine

    env, enabled = dict(os.environ), gc.isenabled()
    computed = build.compute(ROOT, policy=CommandLine())
    assert gc.isenabled() == enabled and dict(os.environ) == env
    with CommandLine().publishing(computed.result.as_of):
        assert os.environ["SOURCE_DATE_EPOCH"] == "1794700800"  # 2026-11-15, the as-of date
    assert dict(os.environ) == env


def _imports(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved against the package."""
    tree = ast.parse(path.read_text("utf-8"))
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(parts[:len(parts) - node.level]) if node.level else ""
            module = ".".join(x for x in (base, node.module or "") if x)
            found |= {module} | {f"{module}.{a.name}" for a in node.names}
    return found


def test_compute_imports_nothing_that_formats_translates_draws_or_writes():
    forbidden = ("generator.views", "generator.render", "generator.i18n", "generator.fmt",
                 "generator.write", "generator.publish", "jinja2", "matplotlib", "weasyprint")
    for path in sorted((PACKAGE / "compute").glob("*.py")):
        bad = [m for m in _imports(path) if m.startswith(forbidden)]
        assert bad == [], f"{path.name} imports {bad}"
        assert "i18n" not in path.read_text("utf-8") and "fmt" not in path.read_text("utf-8")


def test_every_exception_the_package_raises_to_callers_is_an_mxt_error():
    """Public exception classes; a private one is a signal that never leaves its module."""
    import importlib
    import pkgutil

    import generator

    for module in pkgutil.walk_packages(generator.__path__, "generator."):
        if module.name == "generator.__main__":
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if (isinstance(value, type) and issubclass(value, BaseException)
                    and value.__module__.startswith("generator")
                    and not value.__name__.startswith("_")):
                assert issubclass(value, MxtError), value


def test_errors_cross_process_boundaries_whole():
    import pickle

    from generator.errors import InputError, Problem, TemplateError

    error = TemplateError("template error: 'x' is undefined", file="site_templates/a.j2", line=3)
    again = pickle.loads(pickle.dumps(error))
    assert (again.file, again.line, str(again)) == (error.file, 3, str(error))
    problems = InputError([Problem("plans/a.yaml", 2, 1, "title", "required")])
    assert pickle.loads(pickle.dumps(problems)).lines() == problems.lines()


def test_status_and_validate_load_no_drawing_printing_or_site_machinery():
    code = ("import sys, generator.cli; print([m for m in ('matplotlib', 'weasyprint', "
            "'mkdocs', 'pandas') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
