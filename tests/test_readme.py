"""The README's command-line examples work on a new workspace, in the order shown."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from conftest import run_cli

README = Path(__file__).parent.parent / "README.md"


def command_line_examples() -> list[list[str]]:
    """The complete commands of the README's "The command line" block, in order: lines
    with placeholders (``[--json]``, ``a|b``, ``NAME``) are left out."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## The command line"):]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    examples = []
    for line in block.group(1).splitlines():
        words = shlex.split(line.split("  #", 1)[0])
        if words[:1] == ["amtui"] and not any(
                "[" in word or "|" in word or re.fullmatch("[A-Z]+", word) for word in words):
            examples.append(words[1:])
    return examples


def test_the_examples_work_in_order_on_a_new_workspace(tmp_path: Path) -> None:
    examples = command_line_examples()
    assert ["add", "member", "Игорь Волков", "--role", "kam", "--login", "igor"] in examples
    assert ["backup"] in examples and len(examples) >= 10
    for args in examples:
        result = run_cli(*args, workspace=tmp_path / "agency")
        assert result.returncode == 0, (args, result.stderr)
        assert "warning" not in result.stderr, (args, result.stderr)
