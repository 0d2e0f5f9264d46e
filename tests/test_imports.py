"""The import contract: the core package never imports the UI, and shared UI helpers never import
pages. Checked by reading every file's import statements (nothing is imported or run)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# package → the top-level modules its files must not import
FORBIDDEN = {
    "explorer": {"streamlit", "ui", "views"},
    "ui": {"views"},
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import in the file, at any depth (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def broken_rules(package: str) -> list[str]:
    forbidden = FORBIDDEN[package]
    return [f"{path.relative_to(ROOT)}:{line} imports {module}"
            for path in sorted((ROOT / package).rglob("*.py"))
            for line, module in imported_modules(path)
            if module.split(".")[0] in forbidden]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_keeps_the_import_contract(package):
    assert broken_rules(package) == []


def test_the_contract_sees_a_forbidden_import(tmp_path):
    file = tmp_path / "x.py"
    file.write_text("import os\n\ndef f():\n    from streamlit import session_state\n")
    assert imported_modules(file) == [(1, "os"), (4, "streamlit")]
