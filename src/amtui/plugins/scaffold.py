"""``amtui plugins new NAME``: a plugin package that works and passes its own test at once.

The plugin it makes is the one ``docs/plugins.md`` walks through: follow-ups to come back to
with a client on a given day, with a table, a pane, a palette command, a Today section, a
client-card section and a command-line command. Its words are translated: it has its own
catalogue (``locale/``), with one language to start from (Russian).
"""

from __future__ import annotations

from pathlib import Path

PYPROJECT = '''\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "amtui-@dash@"
version = "0.1.0"
description = "@title@: an amtui plugin"
requires-python = ">=3.11"
dependencies = ["amtui"]

[project.optional-dependencies]
# What the tests need besides amtui, whose pytest plugin (amtui.testing) gives the fixtures.
test = ["pytest>=8", "pytest-asyncio>=0.23"]

[project.entry-points.amtui]
@name@ = "amtui_@name@"

[tool.hatch.build.targets.wheel]
packages = ["src/amtui_@name@"]

[tool.pytest.ini_options]
asyncio_mode = "auto"
pythonpath = ["src"]
testpaths = ["tests"]
'''

PLUGIN = '''\
"""@title@: follow-ups to come back to with a client on a given day."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from pydantic import Field

from amtui.api import (
    AgendaEntry,
    Client,
    ClientSection,
    CliCommand,
    CommandSpec,
    PaneSpec,
    PluginApp,
    Record,
    TableSpec,
    TimelineItem,
    Workspace,
    hookimpl,
)

from .i18n import _

if TYPE_CHECKING:
    from .pane import FollowUpsPane

__version__ = "0.1.0"

TABLE = "@name@"


class FollowUp(Record):
    """Something to come back to with a client on a given day."""

    table = TABLE
    references = {"client_id": "clients"}

    client_id: str
    text: str = Field(min_length=1, max_length=500)
    due: date
    done: bool = False


def open_follow_ups(workspace: Workspace, client_id: str | None = None) -> list[FollowUp]:
    """Follow-ups not done yet (of one client), soonest first."""
    found = [item for item in workspace.repo(FollowUp).all()
             if not item.done and (client_id is None or item.client_id == client_id)]
    return sorted(found, key=lambda item: item.due)


@hookimpl
def amtui_register_tables(register: Callable[[TableSpec], None]) -> None:
    """The follow-ups table, in data/@name@/ in the workspace."""
    register(TableSpec(TABLE, FollowUp))


@hookimpl
def amtui_register_panes(register: Callable[[PaneSpec], None]) -> None:
    """The Follow-ups pane, after amtui's own in the pane bar."""
    register(PaneSpec("@name@", _("Follow-ups"), make_pane))


def make_pane() -> FollowUpsPane:
    """The pane's screen, made on its first visit."""
    from .pane import FollowUpsPane  # Textual is imported only when the pane opens

    return FollowUpsPane()


def open_pane(app: PluginApp) -> None:
    """The palette command: show the follow-ups."""
    app.action_pane("@name@")


@hookimpl
def amtui_register_commands(register: Callable[[CommandSpec], None]) -> None:
    """"@name@: open follow-ups" in the command palette."""
    register(CommandSpec("@name@: open follow-ups", "Every follow-up not done yet", open_pane))


@hookimpl
def amtui_agenda(workspace: Workspace, now: datetime,
                 add: Callable[[AgendaEntry], None]) -> None:
    """On Today: the follow-ups due today or earlier."""
    for item in open_follow_ups(workspace):
        if item.due <= now.date():
            add(AgendaEntry(_("Follow-ups due"), item.text,
                            _("due {day}").format(day=item.due), item.client_id, TABLE, item.id))


@hookimpl
def amtui_client_sections(workspace: Workspace, client: Client,
                          add: Callable[[ClientSection], None]) -> None:
    """On the client's card: their open follow-ups, also on their timeline."""
    items = open_follow_ups(workspace, client.id)
    add(ClientSection(
        _("Follow-ups"), [f"{item.due}  {item.text}" for item in items] or [_("none open")],
        [TimelineItem(datetime.combine(item.due, time(9), tzinfo=UTC), "follow-up",
                      item.text, TABLE, item.id) for item in items]))


@hookimpl
def amtui_register_cli(register: Callable[[CliCommand], None]) -> None:
    """`amtui @name@`: add a follow-up, or list the open ones."""
    register(CliCommand("@name@", _("add or list follow-ups"), configure, run))


def configure(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument("text", nargs="?", help=_("what to come back to (omit to list)"))
    parser.add_argument("--client", help=_("the client, by name or id"))
    parser.add_argument("--in-days", type=int, default=1, help=_("due in this many days"))


def run(args: argparse.Namespace, workspace: Workspace) -> int:
    """Add the follow-up typed, or list the open ones; the exit status."""
    from amtui.api import echo

    if args.text is None:
        for item in open_follow_ups(workspace):
            echo(f"{item.due}  {item.text}")
        return 0
    if not args.client:
        raise ValueError(_("--client is required to add a follow-up"))
    client = workspace.repo(Client).resolve(args.client)
    due = workspace.clock().date() + timedelta(days=args.in_days)
    saved = workspace.repo(FollowUp).add(FollowUp(client_id=client.id, text=args.text, due=due))
    echo(saved.id)
    return 0
'''

PANE = '''\
"""The follow-ups pane: every follow-up not done yet, soonest first."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from amtui.api import Client
from amtui.api.ui import ListPane, cell

from .i18n import _


class FollowUpsPane(ListPane):
    """Due day, client and text of each open follow-up; Enter shows one."""

    PANE_ID = "@name@"
    TITLE_TEXT = _("Follow-ups")  # this module is imported when the pane first opens
    TABLE = "@name@"
    COLUMNS: ClassVar[list[Any]] = [(_("Due"), 10), (_("Client"), 24), (_("Follow-up"), 40)]

    def rows_from(self, records: Iterable[dict[str, Any]]) -> list[Any]:
        """One row per open follow-up, soonest first, searched by client and text."""
        clients = self.amtui.workspace.repo(Client).raw()
        rows = []
        for record in sorted(records, key=lambda record: record["due"]):
            if record.get("done"):
                continue
            client = clients.get(record["client_id"]) or {}
            name = str(client.get("name", ""))
            rows.append((record["id"], f"{name} {record['text']}".casefold(),
                         [cell(record["due"]), cell(name, 30), cell(record["text"], 80)]))
        return rows
'''

I18N = '''\
"""The plugin's own translations: its catalogue is the locale/ folder next to this file.

After changing a marked string: pybabel extract -o src/amtui_@name@/locale/amtui_@name@.pot
src/amtui_@name@, pybabel update -D amtui_@name@ -i …pot -d src/amtui_@name@/locale, translate,
pybabel compile -D amtui_@name@ -d src/amtui_@name@/locale (see amtui's docs/plugins.md).
"""

from amtui.api import Domain

_domain = Domain.beside(__file__)
_ = _domain.gettext
ngettext = _domain.ngettext
'''

RUSSIAN = {
    "Follow-ups": "Напоминания",
    "Follow-ups due": "Пора напомнить",
    "due {day}": "срок {day}",
    "none open": "открытых нет",
    "Due": "Срок",
    "Client": "Клиент",
    "Follow-up": "Напоминание",
}
"""The catalogue the plugin starts with: enough to see its pane and Today's section in Russian."""

TEST = '''\
"""@title@'s own tests, on a temporary workspace (the fixtures come from amtui.testing, which
pytest loads by itself once amtui is installed)."""

from __future__ import annotations

from datetime import timedelta

import amtui_@name@ as plugin
from amtui.api import Client
from amtui.testing import plugin_sections, speaking, table_rows
from amtui_@name@.i18n import _


def test_the_plugin_speaks_russian():
    with speaking("ru_RU"):
        assert _("Follow-ups") == "Напоминания"
    assert _("Follow-ups") == "Follow-ups"


def test_a_follow_up_due_today_is_on_the_agenda(amtui_workspace, register_plugin):
    host = register_plugin(plugin, "@name@")
    client = amtui_workspace.repo(Client).add(Client(name="ООО «Ромашка»"))
    today = amtui_workspace.clock().date()
    follow_ups = amtui_workspace.repo(plugin.FollowUp)
    follow_ups.add(plugin.FollowUp(client_id=client.id, text="Call about the brief", due=today))
    follow_ups.add(plugin.FollowUp(client_id=client.id, text="Later",
                                   due=today + timedelta(days=3)))
    sections = plugin_sections(amtui_workspace, host)
    assert [item.title for section in sections for item in section.items] == [
        "Call about the brief"]
    assert sections[0].items[0].client == "ООО «Ромашка»"


async def test_the_pane_lists_open_follow_ups(amtui_workspace, register_plugin, run_app):
    host = register_plugin(plugin, "@name@")
    client = amtui_workspace.repo(Client).add(Client(name="Atlas"))
    amtui_workspace.repo(plugin.FollowUp).add(plugin.FollowUp(
        client_id=client.id, text="Send the report", due=amtui_workspace.clock().date()))
    async with run_app(host, pane="@name@") as pilot:
        assert table_rows(pilot) == [["2026-11-26", "Atlas", "Send the report"]]
'''


def write_plugin(folder: Path, name: str) -> None:
    """Make the plugin package ``amtui-<name>`` in ``folder``."""
    title = name.replace("_", " ").capitalize()
    files = {
        "pyproject.toml": PYPROJECT,
        f"src/amtui_{name}/__init__.py": PLUGIN,
        f"src/amtui_{name}/pane.py": PANE,
        f"src/amtui_{name}/i18n.py": I18N,
        f"tests/test_{name}.py": TEST,
        "README.md": "# amtui-@dash@\n\n@title@: an amtui plugin. Install it next to amtui "
                     "(`pip install -e .`), then `amtui plugins` lists it.\n\n"
                     "Test it: `pip install -e '.[test]'`, then `pytest`.\n",
    }
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("@name@", name).replace("@dash@", name.replace("_", "-"))
                        .replace("@title@", title), encoding="utf-8")
    write_catalogue(folder / "src" / f"amtui_{name}" / "locale", f"amtui_{name}")


def write_catalogue(folder: Path, domain: str) -> None:
    """The plugin's Russian catalogue, as text to edit (.po) and compiled (.mo)."""
    # lazy: Babel, loaded when a locale formats something
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="ru", domain=domain, fuzzy=False)
    for message, translation in RUSSIAN.items():
        catalog.add(message, translation)
    target = folder / "ru" / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / f"{domain}.po", "wb") as handle:
        write_po(handle, catalog, width=100)
    with open(target / f"{domain}.mo", "wb") as handle:
        write_mo(handle, catalog)
