"""What the calendar pane does to posts: new and edited posts, the approval steps, comments,
deleting; saving in a worker and showing the saved post without reading every post again;
the filter, the content plan and the export. A part of :class:`~.pane.CalendarPane`."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from amtui.api import DAY_MONTH, StorageError, Workspace, format_day
from amtui.api.ui import PaneScreen, save_change

from .export import write_export
from .forms import (
    ExportRequest,
    SlotRequest,
    comment_form,
    export_form,
    filter_form,
    post_form,
    post_values,
    slots_form,
    status_form,
)
from .i18n import _, ngettext
from .index import Filter, PostRow, client_of
from .model import PostStatus
from .screens import PlanScreen, PostScreen
from .slots import make_slots, undo_slots
from .times import local, month_bounds
from .workflow import (
    PostFields,
    Saved,
    add_comment,
    add_post,
    advance,
    build_post,
    change_status,
    delete_post,
    edit_post,
    next_status,
    request_changes,
    set_text,
)

if TYPE_CHECKING:
    from amtui.api import Client

    from .grid import CalendarGrid
    from .index import CalendarData
    from .model import Post
    from .pane import CalendarPane
    from .slots import PlanLine

    class _Pane(PaneScreen):
        """What the actions use of the pane."""

        data: CalendarData | None
        chosen: Filter
        view: str
        _saved: deque[PostRow | str]

        @property
        def workspace(self) -> Workspace: ...
        @property
        def grid(self) -> CalendarGrid: ...
        def _refresh_around(self, period_changed: bool = True) -> None: ...
        def _refresh_day_screens(self) -> None: ...
else:
    _Pane = PaneScreen


class PostActions(_Pane):
    """The pane's actions on posts, the filter, the plan and the export."""

    def open_post(self, post_id: str) -> None:
        self.app.push_screen(PostScreen(cast("CalendarPane", self), post_id))

    def new_post(self, day: date | None = None, channel: str | None = None) -> None:
        if self.data is None:
            return
        settings = self.data.settings
        values = {"client": self.chosen.client_name,
                  "channel": channel or self.chosen.channel or self.grid.current_channel
                  or settings.channels[0],
                  "day": (day or self.grid.cursor).isoformat(),
                  "time": f"{settings.default_time:%H:%M}",
                  "assignee_id": self.chosen.assignee_id}
        workspace = self.workspace

        def made(fields: PostFields | None) -> None:
            if fields is not None:
                self._save(lambda: add_post(workspace, build_post(workspace, fields)),
                           _("Post added"))

        self.app.push_screen(post_form(workspace, self.data, _("New post"), values), made)

    def action_new(self) -> None:
        self.new_post()

    def edit_post(self, post: Post, client: Client) -> None:
        if self.data is None:
            return
        shown = local(post.publish_at, client.timezone)
        values = post_values(post, self.data, client.name, shown.date(), shown.time())
        workspace = self.workspace

        def edited(fields: PostFields | None) -> None:
            if fields is not None:
                self._save(lambda: edit_post(workspace, post.id, fields, post.rev),
                           _("Post saved"))

        self.app.push_screen(post_form(workspace, self.data, _("Edit post"), values), edited)

    def save_text(self, post: Post, text: str) -> None:
        workspace = self.workspace
        self._save(lambda: set_text(workspace, post.id, text, post.rev), _("Text saved"))

    # the approval loop -------------------------------------------------------------------

    def advance(self, post_id: str) -> None:
        row = self.data.by_id.get(post_id) if self.data else None
        if row is not None and next_status(row.status) is None:
            self.notify(_("The post is {status}: no step comes after.").format(
                status=row.status.label),
                        severity="warning", markup=False)
            return
        workspace = self.workspace
        self._save_and_say(lambda: advance(workspace, post_id))

    def choose_status(self, post: Post) -> None:
        if post.status is PostStatus.PUBLISHED:
            self.notify(_("The post is published: its status stays."), markup=False)
            return
        workspace = self.workspace

        def chosen(result: tuple[PostStatus, str] | None) -> None:
            if result is not None:
                target, comment = result
                self._save_and_say(lambda: change_status(workspace, post.id, target, comment))

        self.app.push_screen(status_form(post), chosen)

    def changes_requested(self, post: Post) -> None:
        if post.status not in (PostStatus.CLIENT_APPROVAL, PostStatus.APPROVED):
            self.notify(_("The post is {status}: changes are asked for a post sent for approval "
                          "(or approved).").format(status=post.status.label),
                        severity="warning", markup=False)
            return
        workspace = self.workspace

        def said(comment: str | None) -> None:
            if comment is not None:
                self._save(lambda: request_changes(workspace, post.id, comment),
                           _("Back to draft with the client's comment"))

        self.app.push_screen(comment_form(_("The client asked for changes"),
                                          _("What they asked for")), said)

    def comment(self, post_id: str) -> None:
        workspace = self.workspace

        def said(text: str | None) -> None:
            if text is not None:
                self._save(lambda: add_comment(workspace, post_id, text), _("Comment added"))

        self.app.push_screen(comment_form(_("Comment"), _("Comment")), said)

    def delete(self, post_id: str, title: str) -> None:
        workspace = self.workspace
        self._save_other(lambda: delete_post(workspace, post_id),
                         _("Post moved to the trash; u undoes"), removed=post_id)

    def _save(self, change: Callable[[], Saved], message: str, say: bool = False) -> None:
        """Save a post in a worker; the calendar then shows it without reading every post
        again (``say``: tell what its status became, known only once it is saved)."""
        app, workspace, data = self.app, self.workspace, self.data

        def save() -> Any:
            saved = change()
            post = saved.post
            if data is not None:
                if post.client_id not in data.clients:
                    data.clients[post.client_id] = client_of(workspace, post.client_id)
                self._saved.append(data.row(post.model_dump(mode="json")))
            if say:
                step = post.trail[-1] if post.trail else None
                before = step.from_status.label if step and step.from_status else ""
                app.call_from_thread(app.notify, f"{post.title}: {before} → "
                                     f"{post.status.label}", markup=False)
            return saved.undo

        save_change(app, save, message)

    def _save_and_say(self, change: Callable[[], Saved]) -> None:
        self._save(change, "", say=True)

    def _save_other(self, change: Callable[[], Any], message: str, removed: str = "") -> None:
        """A change that is not one saved post: a post deleted (``removed``), slots made."""
        def save() -> Any:
            result = change()
            if removed:
                self._saved.append(removed)
            return result

        save_change(self.app, save, message)

    def data_changed(self) -> None:
        """After this pane's own saves the saved posts are put in place; anything else (undo,
        another process's change, F5) reads the calendar again."""
        if not self._saved or self.data is None:
            self._saved.clear()
            super().data_changed()
            return
        days: set[date] = set()
        while self._saved:
            item = self._saved.popleft()
            before = self.data.by_id.get(item if isinstance(item, str) else item.id)
            if before is not None:
                days.add(before.day)
            if isinstance(item, str):
                self.data.remove(item)
            else:
                self.data.put(item)
                days.add(item.day)
        self.grid.forget_days(days)
        self._refresh_around()
        self._refresh_day_screens()

    # filter, plan, export ----------------------------------------------------------------

    def action_filter(self) -> None:
        if self.data is None:
            return

        def chosen(new: Filter | None) -> None:
            if new is not None:
                self._use_filter(new)

        self.app.push_screen(filter_form(self.workspace, self.data, self.chosen), chosen)

    def action_clear_filter(self) -> None:
        self._use_filter(Filter())

    def _use_filter(self, new: Filter) -> None:
        self.chosen = new
        self.grid.set_filter(new or None)
        self.grid.move_to(self.grid.cursor, 0)
        self._refresh_around()

    def show_client(self, client_id: str, client_name: str, channel: str) -> None:
        self._use_filter(Filter(client_id=client_id, client_name=client_name, channel=channel))

    def action_plan(self) -> None:
        start, end = month_bounds(self.grid.cursor)
        self.app.push_screen(PlanScreen(cast("CalendarPane", self), start, end))

    def fill_plan(self, item: PlanLine, start: date, end: date) -> None:
        workspace = self.workspace
        self._save_other(lambda: undo_slots(workspace, make_slots(
            workspace, item.client_id, item.channel, list(item.weekdays), item.at, start,
            end)), _("Slots made for {client}").format(client=item.client_name))

    def action_slots(self) -> None:
        if self.data is None:
            return
        start, end = month_bounds(self.grid.cursor)
        settings = self.data.settings
        values = {"client": self.chosen.client_name,
                  "channel": self.chosen.channel or self.grid.current_channel
                  or settings.channels[0],
                  "days": _("Mon/Wed/Fri"), "time": f"{settings.default_time:%H:%M}",
                  "start": start.isoformat(), "end": end.isoformat()}
        workspace = self.workspace

        def chosen(request: SlotRequest | None) -> None:
            if request is not None:
                self._save_other(partial(_make_slots, self.app, workspace, request), "")

        self.app.push_screen(slots_form(workspace, self.data, values), chosen)

    def action_export(self) -> None:
        start, end = self.grid.shown_range()
        if self.view == "list":
            start, end = month_bounds(self.grid.cursor)
        who = self.chosen.client_name or self.workspace.settings.name
        name = "".join(char if char.isalnum() else "-" for char in who).strip("-")[:40]
        values = {"path": f"~/{name or 'calendar'}-{start:%Y-%m}.ics",
                  "start": start.isoformat(), "end": end.isoformat(),
                  "client": self.chosen.client_name, "format": "ics"}

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.run_worker(partial(self._export, request), thread=True, group="export")

        self.app.push_screen(export_form(self.workspace, values), chosen)

    def _export(self, request: ExportRequest) -> None:
        try:
            count = write_export(self.workspace, request.path, request.start, request.end,
                                 request.client_id, request.fmt)
        except (StorageError, OSError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(
            self.notify, ngettext("{count} post written to {path}",
                                  "{count} posts written to {path}", count).format(
                count=count, path=request.path),
            markup=False)


def _make_slots(app: Any, workspace: Workspace, request: SlotRequest) -> Any:
    """Runs in the save worker: the rule kept, its slots made, and a message saying how many."""
    made = make_slots(workspace, request.client_id, request.channel, request.weekdays,
                      request.at, request.start, request.end)
    days = ", ".join(format_day(day, DAY_MONTH) for day in made.taken[:5])
    rule = made.rule.label()
    text = ngettext("{count} empty slot made for {client} ({rule})",
                    "{count} empty slots made for {client} ({rule})", len(made.made)).format(
        count=len(made.made), client=request.client_name, rule=rule)
    if made.taken:
        text += ngettext("; {count} day already had a post ({days}…)",
                         "; {count} days already had a post ({days}…)", len(made.taken)).format(
            count=len(made.taken), days=days)
    app.call_from_thread(app.notify, text, markup=False)
    return undo_slots(workspace, made)
