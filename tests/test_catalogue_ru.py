"""The Russian catalogue of the core keeps every placeholder of the English and adds no markup.

A translation that drops ``{count}``, renames ``{name}`` or turns ``%d`` into ``%s`` breaks the
screen it is shown on (a KeyError, or a wrong number) only in Russian, where English tests do
not look; these checks find it in the catalogue itself, one message at a time.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

import amtui

CATALOGUE = Path(amtui.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "amtui.po"

PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[a-zA-Z%]")
"""A printf-style placeholder: ``%s``, ``%d``, ``%(name)s``, ``%%``."""

MARKUP = re.compile(r"\[/?[a-z$@#][^\]\s]*\]")
"""A Textual/Rich markup tag such as ``[b]`` or ``[/]``: a translation must not add one."""


def placeholders(text: str, *, printf: bool = True) -> list[str]:
    """The ``str.format`` fields (with their format specs) and, with ``printf``, the printf
    placeholders of ``text``, sorted: what a translation must keep exactly."""
    found: list[str] = PERCENT.findall(text) if printf else []
    try:
        for _literal, field, spec, conversion in string.Formatter().parse(text):
            if field is not None:
                found.append("{" + field + (f"!{conversion}" if conversion else "")
                             + (f":{spec}" if spec else "") + "}")
    except ValueError:
        found.append("<unbalanced braces>")
    return sorted(found)


def _messages() -> list[Message]:
    with CATALOGUE.open("rb") as file:
        return [message for message in read_po(file) if message.id]


MESSAGES = _messages()


def pairs(message: Message) -> list[tuple[str, str]]:
    """The English and each Russian form of ``message``. Every Russian plural form serves
    many numbers (21 like 1, 22 like 2), so each is paired with the English plural."""
    if isinstance(message.id, str):
        return [(message.id, message.string if isinstance(message.string, str) else "")]
    forms = [] if message.string is None or isinstance(message.string, str) \
        else list(message.string)
    return [(message.id[1], form) for form in forms] or [(message.id[1], "")]


def _name(message: Message) -> str:
    return pairs(message)[0][0][:40]


@pytest.mark.parametrize("message", MESSAGES, ids=_name)
def test_translation_keeps_the_placeholders(message: Message) -> None:
    printf = message.python_format
    for english, russian in pairs(message):
        assert russian, f"no Russian for {english!r}"
        assert placeholders(russian, printf=printf) == placeholders(english, printf=printf), (
            f"{english!r} is translated {russian!r}: its placeholders differ")


@pytest.mark.parametrize("message", MESSAGES, ids=_name)
def test_translation_adds_no_markup(message: Message) -> None:
    for english, russian in pairs(message):
        assert set(MARKUP.findall(russian)) <= set(MARKUP.findall(english)), (
            f"{english!r} is translated {russian!r}, with markup the English has not")


def test_plural_messages_have_the_three_russian_forms() -> None:
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    assert catalogue.num_plurals == 3
    for message in catalogue:
        if message.id and message.pluralizable:
            assert [bool(russian) for _english, russian in pairs(message)] == [True] * 3, \
                message.id


def test_the_check_sees_a_broken_translation() -> None:
    """The placeholder check itself: a dropped, renamed or retyped placeholder is seen."""
    assert placeholders("{count} min") != placeholders("мин")
    assert placeholders("{name} saved") != placeholders("{title} сохранён")
    assert placeholders("%d days") != placeholders("%s дн.")
    assert placeholders("{count:,} rows") != placeholders("{count} строк")
    assert placeholders("«{name}» saved") == placeholders("«{name}» сохранён")
