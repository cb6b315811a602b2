"""Today: the plan for the morning — urgent messages, late answers, tasks overdue or due, updates
owed, tasks waiting on the client or a department, clients to offer something.

Every section shows its title, its count and its head (as many lines as the screen has room
for, so that each section is in sight; when there are more sections than lines, the least urgent
show their title only); Enter on a title that says "+K more" opens the rest. ``z``
folds a section; ``]`` and ``[`` jump between sections; ``m`` shows the user's own records or
everyone's.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from amtui.i18n import N_, _
from amtui.text import one_line
from amtui.ui.pane_ids import TODAY_LINES
from amtui.ui.panes.base import PaneScreen
from amtui.ui.safe import line

if TYPE_CHECKING:
    from amtui.plugins.specs import EntryAction
    from amtui.services.agenda_items import AgendaItem, AgendaSection, FirstAgenda, Mine


MORE_ROWS = 100
"""Lines Enter on a section's title ("+K more") opens."""

HEAD_ROWS = (1, 5)
"""The fewest and the most lines of each section on the first screen."""

FACT_WIDTH = 22
"""The facts of a section are lined up in a column at most this wide (a longer fact is never
cut: it pushes its own line's title along)."""


@dataclass(frozen=True)
class Agenda:
    """What the pane read: whose agenda, the member the user is, the sections."""

    me: Mine | None
    """The member whose login is the OS user's, if any."""
    mine: Mine | None
    """Whose records are shown (None: everyone's)."""
    sections: list[AgendaSection]


def as_shown(agenda: Agenda) -> tuple[object, ...]:
    """What the pane draws of an agenda (a plugin line's actions by their labels)."""
    return (agenda.me, agenda.mine, [
        (section.key, section.title, section.empty, section.total,
         [item.as_json() for item in section.items]) for section in agenda.sections])


def item_line(item: AgendaItem, fact_width: int, width: int) -> Content:
    """One line of the agenda in ``width`` cells: the fact in full, then the record's title and
    its client, shortened (the client first, down to a third of the room) to fit, then the
    detail if it fits (a plugin's line without a fact shows as much of it as fits)."""
    fact = one_line(item.fact)
    lead = f"  {fact:<{fact_width}}  " if fact_width else "  "
    room = max(width - len(lead), 8)
    title = one_line(item.title)
    client = one_line(item.client) if item.client and item.client != item.title else ""
    detail = " · " + one_line(item.detail) if item.detail else ""
    needed = len(title) + (len(client) + 3 if client else 0)
    if needed > room:
        if client:
            client = one_line(client, max(min(len(client), room // 3), 1))
        title = one_line(title, max(room - (len(client) + 3 if client else 0), 1))
    left = room - len(title) - (len(client) + 3 if client else 0)
    parts = [Content.assemble((lead, "bold")), line(title)]
    if client:
        parts += [Content(" · "), line(client).stylize("$text-muted")]
    if detail and not fact and left > 8:  # a plugin's line: its detail is what it says
        detail = one_line(detail, left)
    if detail and len(detail) <= left:
        parts.append(Content(detail).stylize("$text-muted italic"))
    return Content.assemble(*parts)


def count_text(count: int) -> str:
    """A count with its thousands apart: "26 140"."""
    return f"{count:,}".replace(",", " ")


def clear_lines(titles: list[str], width: int) -> list[Content]:
    """The titles of the sections with nothing in them, after "Clear:", in lines of
    ``width``."""
    if not titles:
        return []
    lines: list[str] = []
    current = _("Clear:") + " " + titles[0]
    for title in titles[1:]:
        if len(current) + len(title) + 3 > width:
            lines.append(current)
            current = "  " + title
        else:
            current += " · " + title
    lines.append(current)
    return [Content(text).stylize("$text-muted") for text in lines]


class TodayPane(PaneScreen):
    PANE_ID = "today"
    TITLE_TEXT = N_("Today")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open"), id="today.open", show=False),
        Binding("d", "done", N_("Done / contacted"), id="today.done",
                tooltip=N_("Mark the message answered, the task done, or the client contacted")),
        Binding("r", "update", N_("Daily update"), id="today.update",
                tooltip=N_("Compose today's update for the client of the line")),
        Binding("s", "snooze", N_("Snooze"), id="today.snooze",
                tooltip=N_("Keep a late answer or a due update off Today for some days")),
        Binding("m", "toggle_mine", N_("Mine / all"), id="today.mine",
                tooltip=N_("Show only my records (my clients, what is assigned to me) or "
                          "everyone's")),
        Binding("z", "fold", N_("Fold section"), id="today.fold", show=False,
                tooltip=N_("Fold or unfold the section of the line")),
        Binding("right_square_bracket", "next_section", N_("Next section"),
                id="today.next_section", show=False),
        Binding("left_square_bracket", "previous_section", N_("Previous section"),
                id="today.previous_section", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, AgendaItem] = {}
        self.agenda: Agenda | None = None
        self.showing_mine: bool | None = None
        """Whether the user asked for their own records (None: not yet; then theirs if they
        are a member)."""
        self.folded: set[str] = set()
        self.opened: dict[str, int] = {}
        """Section key → lines shown, for the sections opened past their head."""
        self.hidden: dict[str, int] = {}
        """Section key → how many of its lines are not shown now."""
        self.limit = TODAY_LINES
        """Lines read per section; "+K more" reads more when a section opens past them."""
        self.land_on: int | None = None
        """Where the cursor goes when the agenda is next shown (the first line "+K more"
        opened)."""
        self._keys_said: tuple[object, ...] | None = None
        """What d and s were last said to do (a plugin's line's actions), if not amtui's."""
        self._early: FirstAgenda | None = None
        """amtui's own sections read while the app started, shown, for the first read."""
        self.acted_on: str | None = None
        """The line last marked done or snoozed: if it comes back (undone), the cursor goes
        back to it, so that the next key acts on that record again."""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="today-scope")
        yield OptionList(Option(Content(_("Loading…")), disabled=True), id="agenda")

    def first_load(self) -> None:
        if self.amtui.has_first_agenda():
            self._show_first_agenda()
        else:
            self.load()

    @work(thread=True, exclusive=True, group="load")
    def _show_first_agenda(self) -> None:
        """Show amtui's own sections read while the app started, as soon as they are there
        (nothing of the store is loaded in this thread: that would wait for the imports of
        the thread opening the workspace); then read the rest once that frame is out (read
        while it is drawn, the UI thread would wait its turns)."""
        early = self.amtui.take_first_agenda()
        if early is not None and self.agenda is None and self.showing_mine is None \
                and early.limit == self.limit:
            shown = self.CoreRead(Agenda(early.me, early.me, early.sections))
            self.post_while_current(shown)
            shown.drawn.wait(timeout=1.0)
            self._early = early
        self.app.call_from_thread(self.load)

    def read(self) -> Agenda:
        early, self._early = self._early, None
        if early is not None and self.showing_mine is not None:
            early = None  # m was pressed meanwhile: read amtui's sections again too
        # lazy: pydantic, loaded on first use
        # lazy: looked up at each call (tests stand in another user)
        from amtui.identity import os_user
        from amtui.services.agenda import Mine, build_agenda, member_by_login, plugin_sections

        workspace = self.amtui.workspace
        if early is not None:
            # What the copy read, as this process sees it now: looked at from here on for
            # changes made elsewhere; read again if one was saved since the copy read it.
            for table, version in early.versions.items():
                workspace.file(table).refresh()
                if workspace.file(table).version_on_disk() != version:
                    early = None
        if early is not None:
            now, me, mine, core = early.at, early.me, early.me, early.sections
        else:
            now = workspace.clock()
            member = member_by_login(workspace, os_user())
            me = Mine.of(member) if member else None
            mine = me if (self.showing_mine is not False) else None
            core = build_agenda(workspace, now, limit=self.limit, mine=mine)
        if self.agenda is None:
            # The first read shows amtui's own sections at once: the plugins' sections can
            # take longer than all of them. A read again (a change, m) shows the agenda once,
            # whole: drawing it twice would cost the UI thread a second frame and the
            # plugins' sections would blink out and back.
            self.post_while_current(self.CoreRead(Agenda(me, mine, core)))
        return Agenda(me, mine, core + plugin_sections(workspace, self.amtui.plugins, now,
                                                       limit=self.limit, mine=mine))

    class CoreRead(Message):
        """amtui's own sections, read before the plugins' sections are."""

        def __init__(self, agenda: Agenda) -> None:
            super().__init__()
            self.agenda = agenda
            self.drawn = threading.Event()
            """Set once the sections are on screen."""

    def on_today_pane_core_read(self, message: CoreRead) -> None:
        self.show(message.agenda)
        self.call_after_refresh(message.drawn.set)

    def show(self, payload: Agenda) -> None:
        self.amtui.show_plugin_failures()
        unchanged = self.agenda is not None and as_shown(self.agenda) == as_shown(payload)
        self.agenda = payload
        if unchanged:
            return  # read again after a change elsewhere that no line shows: not drawn again
        self._show_scope()
        self.render_agenda()

    def _show_scope(self) -> None:
        scope = self.query_one("#today-scope", Static)
        agenda = self.agenda
        if agenda is None:
            return
        if agenda.mine is not None:
            shown = Content.assemble((_("Mine"), "bold"), ": ", line(agenda.mine.name, 40),
                                     f" ({one_line(agenda.mine.login, 20)})")
            other = _("m: everyone's")
        else:
            shown = Content.assemble((_("Everyone's"), "bold"))
            other = _("m: mine") if agenda.me is not None else ""
        scope.update(Content.assemble(shown, "  ", Content(other).stylize("$text-muted")))

    def on_resize(self) -> None:
        super().on_resize()
        if self.agenda is not None:
            self.render_agenda()

    def _heads(self, sections: list[AgendaSection], height: int,
               clear_rows: int) -> dict[str, int]:
        """Lines of each section on the first screen: every section's title (and the
        ``clear_rows`` lines naming the clear sections), then the screen's other lines shared
        out one at a time, the most urgent sections first, each section at least
        HEAD_ROWS[0] and at most HEAD_ROWS[1] lines. When there is not room for a line of
        every section, the least urgent ones show their title only (with its count)."""
        titles = sum(1 for s in sections if s.total) + clear_rows
        unfolded = [s for s in sections if s.total and s.key not in self.folded]
        room = max(height - titles, 0)
        heads = {s.key: 0 for s in unfolded}
        for section in unfolded[:room]:
            heads[section.key] = min(section.total, HEAD_ROWS[0])
        room -= sum(heads.values())
        growing = True
        while room > 0 and growing:
            growing = False
            for section in unfolded:
                if room > 0 and heads[section.key] < min(section.total, HEAD_ROWS[1]):
                    heads[section.key] += 1
                    room -= 1
                    growing = True
        return heads

    def render_agenda(self) -> None:
        """Show the sections read, as folded and opened now; only the lines shown are made."""
        if self.agenda is None:
            return
        agenda = self.query_one("#agenda", OptionList)
        width = agenda.scrollable_content_region.width or self.app.size.width - 4
        highlighted = agenda.highlighted_option.id if agenda.highlighted_option else None
        index = agenda.highlighted
        sections = self.agenda.sections
        clear = clear_lines([section.title for section in sections
                             if not section.total and section.empty], width)
        heads = self._heads(sections, agenda.size.height or self.app.size.height - 4,
                            len(clear))
        self.items = {}
        self.hidden = {}
        options: list[Option] = []
        for section in sections:
            if not section.total:
                continue
            folded = section.key in self.folded
            count = self.opened.get(section.key, heads.get(section.key, 0))
            shown = [] if folded else section.items[:count]
            self.hidden[section.key] = section.total - len(shown)
            title = Content.assemble(
                ("▾ " if shown else "▸ ", "$text-muted"), (section.title, "bold"),
                f" ({count_text(section.total)})")
            if shown and self.hidden[section.key]:
                title += Content("  " + _("+{count} more").format(
                    count=count_text(self.hidden[section.key]))).stylize("italic $accent")
            options.append(Option(title, id=f"section:{section.key}"))
            fact_width = min(max((len(item.fact) for item in shown), default=0), FACT_WIDTH)
            for item in shown:
                option_id = f"{section.key}:{item.table}:{item.record_id}"
                if option_id in self.items:  # a plugin's lines may point at no record
                    option_id += f":{len(self.items)}"
                self.items[option_id] = item
                options.append(Option(item_line(item, fact_width, width), id=option_id))
        options += [Option(text, disabled=True) for text in clear]
        agenda.set_options(options)
        if self.land_on is not None:
            agenda.highlighted, self.land_on = self.land_on, None
        elif self.acted_on in self.items:
            agenda.highlighted = agenda.get_option_index(self.acted_on)
            self.acted_on = None
        elif highlighted and any(option.id == highlighted for option in options):
            agenda.highlighted = agenda.get_option_index(highlighted)
        elif index is not None and highlighted and self.items:
            # The line is gone (done, snoozed): the next line, else the last.
            lines = [i for i, option in enumerate(options) if option.id in self.items]
            agenda.highlighted = next((i for i in lines if i >= index), lines[-1])
        elif self.items:
            agenda.highlighted = agenda.get_option_index(next(iter(self.items)))

    def _current_id(self) -> str | None:
        option = self.query_one("#agenda", OptionList).highlighted_option
        return option.id if option else None

    def _current(self) -> AgendaItem | None:
        option = self.query_one("#agenda", OptionList).highlighted_option
        return self.items.get(option.id) if option and option.id else None

    def _section_of_cursor(self) -> str | None:
        """The key of the section the highlighted line is in."""
        agenda = self.query_one("#agenda", OptionList)
        if agenda.highlighted is None:
            return None
        for index in range(agenda.highlighted, -1, -1):
            option_id = agenda.get_option_at_index(index).id or ""
            if option_id.startswith("section:"):
                return option_id.removeprefix("section:")
        return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("section:"):
            self.open_section(option_id.removeprefix("section:"))
        else:
            self.action_open()

    def action_open(self) -> None:
        item = self._current()
        if item is not None and item.table and item.record_id:
            self.amtui.open_record(item.table, item.record_id)

    def action_toggle_mine(self) -> None:
        if self.agenda is None:
            return
        if self.agenda.me is None:
            # lazy: looked up at each call (tests stand in another user)
            from amtui.identity import os_user

            self.notify(_("You ({login}) are not a member of this workspace, so everyone's "
                          "records are shown: add yourself with `amtui add member NAME --login "
                          "{login}`.").format(login=os_user()), severity="warning",
                        markup=False)
            return
        self.showing_mine = self.agenda.mine is None
        self.query_one("#today-scope", Static).update(Content(_("Loading…")))
        self.query_one("#agenda", OptionList).highlighted = None  # the new list's first line
        self.load()

    def action_fold(self) -> None:
        key = self._section_of_cursor()
        if key is None:
            return
        section = next((s for s in self.agenda.sections if s.key == key), None) \
            if self.agenda else None
        if key in self.folded:
            self.folded.discard(key)
        elif section is not None and self.hidden.get(key) == section.total:
            # Shown by its title only, for want of room: its head unfolds.
            self.opened[key] = HEAD_ROWS[1]
        else:
            self.folded.add(key)
        agenda = self.query_one("#agenda", OptionList)
        agenda.highlighted = None
        self.render_agenda()
        agenda.highlighted = agenda.get_option_index(f"section:{key}")

    def open_section(self, key: str) -> None:
        """Enter on a section's title: unfold it; else show its next MORE_ROWS lines ("+K
        more", reading them if they were not read); else, all shown, only its head again; else
        fold it."""
        if self.agenda is None:
            return
        agenda = self.query_one("#agenda", OptionList)
        if key in self.folded:
            self.folded.discard(key)
        elif self.hidden.get(key):
            section = next(s for s in self.agenda.sections if s.key == key)
            shown = section.total - self.hidden[key]
            self.opened[key] = shown + MORE_ROWS
            # The cursor lands on the first line opened.
            self.land_on = (agenda.highlighted or 0) + shown + 1
            if self.opened[key] > len(section.items) < section.total:
                self.limit = max(self.limit, self.opened[key])
                self.load()
                return
        elif key in self.opened:
            del self.opened[key]
        else:
            self.folded.add(key)
        self.render_agenda()

    def _jump(self, step: int) -> None:
        agenda = self.query_one("#agenda", OptionList)
        titles = [index for index, option in enumerate(agenda.options)
                  if (option.id or "").startswith("section:")]
        here = agenda.highlighted if agenda.highlighted is not None else -1
        ahead = [index for index in titles if (index - here) * step > 0]
        if ahead:
            agenda.highlighted = ahead[0] if step > 0 else ahead[-1]
            agenda.scroll_to_highlight(top=True)

    def action_next_section(self) -> None:
        self._jump(1)

    def action_previous_section(self) -> None:
        self._jump(-1)

    def on_option_list_option_highlighted(self) -> None:
        """d and s say what they do on a plugin's line (the key bar is redrawn only when
        that changes)."""
        item = self._current()
        said = (item.plugin, item.done, item.snooze) if item is not None and item.plugin else None
        if said != self._keys_said:
            self._keys_said = said
            self.refresh_bindings()

    def binding_description(self, binding: Binding) -> str | None:
        """What ``d`` and ``s`` do on a plugin's line: what its plugin named, else that they
        do nothing there (None: the binding's own description)."""
        item = self._current() if binding.action in ("done", "snooze") else None
        if item is None or not item.plugin:
            return None
        action: EntryAction | None = getattr(item, binding.action)
        return one_line(action.label, 24) if action is not None else _("not on this line")

    def _run_plugin_action(self, item: AgendaItem, action: EntryAction | None,
                           key: str) -> None:
        """``d`` or ``s`` on a plugin's line: the change its plugin said, saved as amtui's
        own are; if it said none, a message that the key does nothing there."""
        if action is None:
            self.notify(_("{key} does nothing on this line: the {plugin} plugin did not say "
                          "what it does.").format(key=key, plugin=item.plugin), markup=False)
            return
        workspace = self.amtui.workspace
        self.acted_on = self._current_id()
        self.amtui.change(lambda: action.run(workspace), action.done_message)

    def action_done(self) -> None:
        item = self._current()
        if item is None:
            return
        if item.plugin:
            self._run_plugin_action(item, item.done, "d")
            return
        self.acted_on = self._current_id()
        # lazy: pydantic, loaded on first use
        from amtui.services.actions import log_contact, mark_message_done, mark_task_done

        workspace = self.amtui.workspace
        if item.table == "messages":
            self.amtui.change(lambda: mark_message_done(workspace, item.record_id),
                              _("Marked answered"))
        elif item.table == "tasks":
            self.amtui.change(lambda: mark_task_done(workspace, item.record_id),
                              _("Task done"))
        elif item.table == "clients":
            self.amtui.change(lambda: log_contact(workspace, item.record_id),
                              _("Contact logged"))
        elif item.table == "contacts" and item.client_id:
            client_id = item.client_id
            self.amtui.change(
                lambda: log_contact(workspace, client_id, contact_id=item.record_id),
                _("Contact logged"),
            )

    def action_update(self) -> None:
        item = self._current()
        if item is None or not item.client_id:
            self.notify(_("This line is not about a client."), severity="warning")
            return
        # lazy: kept out of the app start
        from amtui.ui.update_screen import UpdateScreen

        self.app.push_screen(UpdateScreen(item.client_id))

    def action_snooze(self) -> None:
        item = self._current()
        if item is not None and item.plugin:
            self._run_plugin_action(item, item.snooze, "s")
            return
        if item is None or item.table not in ("messages", "clients"):
            self.notify(_("Only late answers and due updates can be snoozed."), markup=False)
            return
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
        from amtui.dates import today_of
        from amtui.services.actions import snooze
        from amtui.ui.ask import ask_snooze, snoozed_for

        workspace = self.amtui.workspace
        option_id = self._current_id()

        def snoozed(days: int) -> None:
            self.acted_on = option_id
            self.amtui.change(
                lambda: snooze(workspace, item.table, item.record_id, days),
                snoozed_for(days),
            )

        ask_snooze(self.app, item.title, today_of(workspace), snoozed)
