"""ui/pages.py and views/: every page in the menu is a script that defines render(), runs it only
as the page, and draws nothing when imported; no two pages share an address or a title.

Checked by reading the files (nothing is imported or run), so a new page that breaks the
convention fails here in a second, not in a browser."""

import ast
from pathlib import Path

import pytest

from ui import pages

ROOT = Path(__file__).resolve().parent.parent
VIEWS = sorted(pages.ALL, key=lambda view: view.script)


def parsed(view) -> ast.Module:
    return ast.parse((ROOT / view.script).read_text(encoding="utf-8"), filename=view.script)


def runs_render_as_main(node: ast.stmt) -> bool:
    """`if __name__ == "__main__": render()`, exactly."""
    if not isinstance(node, ast.If) or ast.unparse(node.test) != "__name__ == '__main__'":
        return False
    return [ast.unparse(stmt) for stmt in node.body] == ["render()"] and not node.orelse


def top_level_calls(tree: ast.Module) -> list[str]:
    """Statements at the top of the module that call something (drawing, reading the session),
    other than the guarded render() call; assignments of constants are fine."""
    calls = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
            continue
        if runs_render_as_main(node) or (isinstance(node, ast.Expr)
                                         and isinstance(node.value, ast.Constant)):
            continue  # the guard, or the docstring
        if any(isinstance(sub, ast.Call) and ast.unparse(sub.func).startswith("st.")
               for sub in ast.walk(node)):
            calls.append(f"line {node.lineno}: {ast.unparse(node)[:60]}")
    return calls


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: view.url_path)
def test_each_page_is_a_render_function_run_only_as_the_page(view):
    tree = parsed(view)
    renders = [node for node in tree.body
               if isinstance(node, ast.FunctionDef) and node.name == "render"]
    assert len(renders) == 1 and not renders[0].args.args, f"{view.script} needs def render() -> None"
    assert runs_render_as_main(tree.body[-1]), (
        f"{view.script} must end with: if __name__ == \"__main__\": render()")
    assert top_level_calls(tree) == [], f"{view.script} calls st.* when imported"


def test_pages_have_one_address_and_one_title_each_and_one_default():
    assert len({view.url_path for view in pages.ALL}) == len(pages.ALL)
    assert len({view.title for view in pages.ALL}) == len(pages.ALL)
    assert len({view.script for view in pages.ALL}) == len(pages.ALL)
    assert [view.url_path for view in pages.ALL if view.default] == ["reviews"]


def test_the_menu_keeps_the_story_order():
    # The first pages a visitor meets, in the order the tutorial goes: text, ids, model, weights.
    assert [view.title for view in pages.ALL][:5] == ["Reviews", "Encode", "Train", "Weights",
                                                       "Projection"]
    assert list(dict.fromkeys(view.group for view in pages.ALL))[:2] == [pages.YOUR_REVIEWS,
                                                                          pages.GLOVE_VECTORS]


def test_the_check_sees_a_page_that_draws_when_imported(tmp_path):
    script = tmp_path / "bad.py"
    script.write_text('import streamlit as st\nst.title("x")\n\ndef render() -> None:\n'
                      '    pass\n\nif __name__ == "__main__":\n    render()\n')
    tree = ast.parse(script.read_text())
    assert top_level_calls(tree) == ["line 2: st.title('x')"]
    assert runs_render_as_main(tree.body[-1])
