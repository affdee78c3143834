"""Dependencies point one way: the areas use the core, routines use techniques (a Step names
a Technique), and nothing below the project package imports it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Package -> the project packages it must never import.
FORBIDDEN = {
    "content": {"techniques", "routines", "massage_site"},
    "techniques": {"routines", "massage_site"},
    "routines": {"massage_site"},
}


def imported_packages(path):
    """Top-level names of every module ``path`` imports, at any depth of the file."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_above_it(package):
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in imported_packages(path)
        if name in FORBIDDEN[package]
    ]
    assert wrong == []


def test_the_check_sees_an_import_that_breaks_the_rule(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text("def later():\n    from massage_site.search import search\n")
    assert "massage_site" in set(imported_packages(module))
