"""Imports inside functions say why they are not at the top of the module.

An import inside a function or method is there on purpose: to keep Textual or a heavy library
out of the command line's start-up (``# lazy: …``) or to break an import cycle
(``# cycle: …``). The reason goes on the import line or on the line just above it; one comment
above a block of consecutive imports covers the whole block. Everything else goes to the top.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = (ROOT / "src" / "amtui", ROOT / "plugins")
REASON = re.compile(r"#\s*(lazy|cycle):\s*\S")
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
Import = ast.Import | ast.ImportFrom


def function_imports(tree: ast.AST) -> list[Import]:
    """The import statements that run inside a function or method, in source order."""
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom) and in_function:
                found.append(child)
            visit(child, in_function or isinstance(child, FUNCTIONS))

    visit(tree, False)
    return sorted(found, key=lambda node: node.lineno)


def reason_lines(source: str) -> set[int]:
    """The numbers of the lines that carry a ``lazy:`` or ``cycle:`` comment."""
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and REASON.match(token.string):
            lines.add(token.start[0])
    return lines


def unexplained(path: Path) -> list[int]:
    """The line numbers of the function-level imports in ``path`` with no reason."""
    source = path.read_text(encoding="utf-8")
    reasons = reason_lines(source)
    covered_ends: set[int] = set()
    missing = []
    for node in function_imports(ast.parse(source)):
        end = node.end_lineno or node.lineno
        own = any(line in reasons for line in range(node.lineno, end + 1))
        above = node.lineno - 1 in reasons or node.lineno - 1 in covered_ends
        if own or above:
            covered_ends.add(end)
        else:
            missing.append(node.lineno)
    return missing


def sources() -> list[Path]:
    return sorted(path for folder in SCANNED for path in folder.rglob("*.py"))


def test_every_function_level_import_has_a_reason() -> None:
    missing = [f"{path.relative_to(ROOT)}:{line}"
               for path in sources() for line in unexplained(path)]
    assert not missing, (
        "Imports inside functions need a '# lazy: …' or '# cycle: …' reason on the line or "
        "just above it, or go to the top of the module:\n  " + "\n  ".join(missing))


def test_the_checker_sees_what_it_should(tmp_path: Path) -> None:
    """The checker itself: a bare import is named, a reason above covers a block, a reason at
    the end of the line covers that line, top-level imports are free."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n"                                   # 1 top level: free
        "def f():\n"                                     # 2
        "    import json\n"                              # 3 missing
        "    # lazy: csv is only for exports\n"          # 4
        "    import csv\n"                               # 5 covered
        "    from decimal import Decimal\n"              # 6 covered by the block
        "\n"                                             # 7
        "    import re\n"                                # 8 missing: the block ended
        "    import zlib  # cycle: zlib imports us\n"    # 9 covered
        "    # a plain comment\n"                        # 10
        "    import gzip\n"                              # 11 missing
        "class C:\n"                                     # 12
        "    def m(self):\n"                             # 13
        "        from x import (\n"                      # 14 missing
        "            y,\n"                               # 15
        "        )\n",                                   # 16
        encoding="utf-8")
    assert unexplained(sample) == [3, 8, 11, 14]
