"""`make messages`: extract, update and compile amtui's catalogues with Babel.

Each domain is a source folder and its ``locale/`` folder: the core (``src/amtui``, domain
``amtui``) and every bundled plugin that has a ``locale/`` folder (``plugins/NAME``, domain
``NAME``). For each one this writes the template (``locale/DOMAIN.pot``) from the strings
marked in the sources, brings every language's catalogue (``locale/LANG/LC_MESSAGES/DOMAIN.po``)
in step with it, and compiles each to the ``.mo`` that amtui reads (committed: they ship in the
wheel). A file is only rewritten when its messages change, so running it twice changes nothing.

    python tools/messages.py            # every domain
    python tools/messages.py --init LANG  # also start LANG's catalogue where it has none
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
"""``_("…")``, ``N_("…")`` (marked where it is defined, translated where it is shown) and
``ngettext("one", "many", n)``; a plugin's own ``_``/``ngettext`` have the same names."""

PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
}
"""The plural rule written into a new catalogue (Babel's own otherwise)."""


def domains() -> Iterator[tuple[str, Path, Path]]:
    """Each domain: its name, the folder its strings come from and its ``locale/`` folder."""
    yield "amtui", REPO / "src" / "amtui", REPO / "src" / "amtui" / "locale"
    for locale in sorted((REPO / "plugins").glob("*/locale")):
        yield locale.parent.name, locale.parent, locale


def template(name: str, source: Path, old: Catalog | None) -> Catalog:
    """Every string marked in ``source``'s Python files, with the file it is in."""
    catalog = Catalog(
        domain=name, project="amtui", copyright_holder="amtui authors", fuzzy=False,
        creation_date=old.creation_date if old else None,
    )
    for filename, _line, message, comments, context in extract_from_dir(
            source, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True):
        where = (source / filename).relative_to(REPO).as_posix()
        catalog.add(message, None, [(where, None)], auto_comments=comments, context=context)
    return catalog


def po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_by_file=True, include_lineno=False,
             ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def read(path: Path, locale: str | None = None) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def write_if_changed(path: Path, content: bytes) -> None:
    if path.exists() and path.read_bytes() == content:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    print(f"wrote {path.relative_to(REPO)}")


def without_dates(text: bytes) -> bytes:
    """``text`` without the header lines that say when it was made (they change each run)."""
    return b"\n".join(line for line in text.splitlines()
                      if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:')))


def keep_if_same(path: Path, content: bytes) -> bytes:
    """``content``, or the file's own text if only the dates differ."""
    if path.exists() and without_dates(path.read_bytes()) == without_dates(content):
        return path.read_bytes()
    return content


def new_catalogue(language: str, pot: Catalog) -> Catalog:
    catalog = Catalog(locale=language, domain=pot.domain, project="amtui",
                      copyright_holder="amtui authors", fuzzy=False,
                      creation_date=pot.creation_date)
    catalog.update(pot, no_fuzzy_matching=True)
    return catalog


def with_plural_rule(catalog: Catalog, language: str) -> Catalog:
    """``catalog`` with the project's plural rule for ``language``, if it has one."""
    rule = PLURAL_FORMS.get(language)
    if rule is not None:
        count, _semicolon, expression = rule.partition("; plural=")
        catalog._num_plurals = int(count.removeprefix("nplurals="))
        catalog._plural_expr = expression.rstrip(";")
    return catalog


def messages(init: list[str]) -> None:
    for name, source, locale in domains():
        pot_path = locale / f"{name}.pot"
        pot = template(name, source, read(pot_path))
        write_if_changed(pot_path, keep_if_same(pot_path, po_text(pot)))
        for language in init:
            po_path = locale / language / "LC_MESSAGES" / f"{name}.po"
            if not po_path.exists():
                text = po_text(with_plural_rule(new_catalogue(language, pot), language))
                write_if_changed(po_path, text)
        for po_path in sorted(locale.glob(f"*/LC_MESSAGES/{name}.po")):
            language = po_path.parent.parent.name
            catalog = read(po_path, language)
            assert catalog is not None
            catalog.update(pot, no_fuzzy_matching=True, update_creation_date=False)
            text = po_text(with_plural_rule(catalog, language))
            write_if_changed(po_path, keep_if_same(po_path, text))
            compiled = read(po_path, language)
            assert compiled is not None
            write_if_changed(po_path.with_suffix(".mo"), mo_bytes(compiled))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--init", action="append", default=[], metavar="LANG",
                        help="start LANG's catalogue in every domain that has none")
    messages(parser.parse_args(argv).init)
    return 0


if __name__ == "__main__":
    sys.exit(main())
