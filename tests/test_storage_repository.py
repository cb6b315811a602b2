"""Repository behaviour: the one way records are read and changed.

Round trips, revisions and timestamps, conflicts, references, trash, audit, resolving names,
and a property test that any valid record survives the store unchanged.
"""

from __future__ import annotations

import os
import pwd
import socket
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, reject, settings, strategies as st
from pydantic import ValidationError

from amtui.models import (
    Cadence,
    Channel,
    ChecklistItem,
    Client,
    ClientKind,
    ClientStatus,
    Deal,
    DealStatus,
    LegalForm,
    Money,
    Note,
    NoteKind,
    Priority,
    Record,
    RelationshipStage,
    Task,
    WorkingHours,
)
from amtui.storage import (
    ConflictError,
    InvalidRecord,
    RecordNotFound,
    TrashBin,
    Workspace,
    datafile,
    os_user,
)
from amtui.testing import START, StillClock
from conftest import (
    audit_entries as audit_lines,
    both_stores,
    edit_outside,
    postgresql_workspace,
    snapshot_store,
    stored_records,
)

BOOKKEEPING = {"rev", "created_at", "updated_at"}


# add / get / update / delete / restore


@both_stores
def test_add_then_get_returns_the_stored_record(workspace: Workspace, clock: StillClock) -> None:
    tasks = workspace.repo(Task)
    stored = tasks.add(Task(title="Write the brief", due=date(2026, 12, 1),
                            estimate_hours=Decimal("2.5")))
    assert stored.rev == 1
    assert stored.created_at == stored.updated_at == START
    assert tasks.get(stored.id) == stored
    raw = stored_records(workspace, "tasks")
    assert raw[stored.id]["title"] == "Write the brief"
    assert raw[stored.id]["rev"] == 1
    # A second Workspace object (another process, in effect) sees the same record.
    again = Workspace.open(workspace.root, clock=clock).repo(Task).get(stored.id)
    assert again == stored


@both_stores
def test_update_increments_revision_keeps_created_at_and_stamps_updated_at(
    workspace: Workspace, clock: StillClock,
) -> None:
    tasks = workspace.repo(Task)
    stored = tasks.add(Task(title="Draft"))
    clock.advance(hours=3)
    second = tasks.update(stored.model_copy(update={"title": "Draft v2"}))
    assert second.rev == 2
    assert second.created_at == START
    assert second.updated_at == START + timedelta(hours=3)
    clock.advance(days=1)
    third = tasks.update(second.model_copy(update={"column": "todo"}))
    assert third.rev == 3
    assert third.created_at == START
    assert third.updated_at == START + timedelta(days=1, hours=3)
    reread = Workspace.open(workspace.root, clock=clock).repo(Task).get(stored.id)
    assert (reread.title, reread.column, reread.rev) == ("Draft v2", "todo", 3)
    assert reread.created_at == START


@both_stores
def test_update_ignores_created_at_sent_by_the_caller(workspace: Workspace,
                                                      clock: StillClock) -> None:
    tasks = workspace.repo(Task)
    stored = tasks.add(Task(title="Keep my birthday"))
    clock.advance(minutes=5)
    forged = stored.model_copy(update={"created_at": datetime(2000, 1, 1, tzinfo=UTC)})
    assert tasks.update(forged).created_at == START
    assert tasks.get(stored.id).created_at == START


@both_stores
def test_unknown_fields_in_a_stored_record_survive_an_update(workspace: Workspace,
                                                             clock: StillClock) -> None:
    tasks = workspace.repo(Task)
    stored = tasks.add(Task(title="From a newer amtui"))
    edit_outside(workspace, "tasks", {
        **stored_records(workspace, "tasks")[stored.id],
        "x_plugin_score": {"value": 7, "by": ["Анна", "Bob"]}, "future_field": "keep me"})

    current = tasks.get(stored.id)  # the repository notices the file changed
    clock.advance(minutes=1)
    tasks.update(current.model_copy(update={"title": "Renamed"}))

    raw = stored_records(workspace, "tasks")[stored.id]
    assert raw["title"] == "Renamed"
    assert raw["rev"] == 2
    assert raw["x_plugin_score"] == {"value": 7, "by": ["Анна", "Bob"]}
    assert raw["future_field"] == "keep me"


@both_stores
def test_stale_revision_is_a_conflict_with_the_stored_record(workspace: Workspace,
                                                             clock: StillClock) -> None:
    stored = workspace.repo(Task).add(Task(title="Original"))
    # Two people (two Workspace objects, each with its own cache) open the same record.
    mine = Workspace.open(workspace.root, clock=clock).repo(Task)
    theirs = Workspace.open(workspace.root, clock=clock).repo(Task)
    my_copy = mine.get(stored.id)
    their_copy = theirs.get(stored.id)

    theirs.update(their_copy.model_copy(update={"title": "Their change"}))
    before = snapshot_store(workspace)
    with pytest.raises(ConflictError) as caught:
        mine.update(my_copy.model_copy(update={"title": "My change"}))
    assert isinstance(caught.value.current, Task)
    assert caught.value.current.title == "Their change"
    assert caught.value.current.rev == 2
    assert "Original" in str(caught.value) or "My change" in str(caught.value)
    assert snapshot_store(workspace) == before
    assert workspace.repo(Task).get(stored.id).title == "Their change"


@both_stores
def test_overwrite_after_a_conflict_saves_over_the_newer_revision(workspace: Workspace) -> None:
    tasks = workspace.repo(Task)
    stored = tasks.add(Task(title="Original"))
    tasks.update(stored.model_copy(update={"title": "Their change"}))
    mine = stored.model_copy(update={"title": "My change"})
    with pytest.raises(ConflictError):
        tasks.update(mine)
    saved = tasks.overwrite(mine)
    assert saved.title == "My change"
    assert saved.rev == 3
    assert tasks.get(stored.id).title == "My change"
    assert tasks.get(stored.id).rev == 3


@both_stores
def test_update_of_a_deleted_record_is_refused(workspace: Workspace) -> None:
    tasks = workspace.repo(Task)
    stored = tasks.add(Task(title="Gone soon"))
    tasks.delete(stored.id)
    with pytest.raises(RecordNotFound):
        tasks.update(stored.model_copy(update={"title": "Too late"}))
    assert stored.id not in stored_records(workspace, "tasks")


@both_stores
def test_adding_a_record_with_an_existing_id_is_refused(workspace: Workspace) -> None:
    tasks = workspace.repo(Task)
    stored = tasks.add(Task(title="First"))
    before = snapshot_store(workspace)
    with pytest.raises(InvalidRecord):
        tasks.add(Task(id=stored.id, title="Impostor"))
    assert snapshot_store(workspace) == before
    assert Workspace.open(workspace.root).repo(Task).get(stored.id).title == "First"


@both_stores
@pytest.mark.parametrize("tasks_file_exists", [False, True])
def test_unknown_client_reference_is_rejected_and_nothing_written(
    workspace: Workspace, tasks_file_exists: bool,
) -> None:
    workspace.repo(Client).add(Client(name="Known"))
    if tasks_file_exists:
        workspace.repo(Task).add(Task(title="Already here"))
    before = snapshot_store(workspace)
    with pytest.raises(InvalidRecord) as caught:
        workspace.repo(Task).add(Task(title="Orphan", client_id="01NOSUCHCLIENT0000000000000"))
    assert "client" in str(caught.value)
    assert "01NOSUCHCLIENT0000000000000" in str(caught.value)
    assert snapshot_store(workspace) == before
    # The failed add leaves nothing staged behind: the next save writes only its own record.
    fresh = workspace.repo(Task).add(Task(title="Next"))
    titles = {raw["title"] for raw in stored_records(workspace, "tasks").values()}
    assert titles == ({"Already here"} if tasks_file_exists else set()) | {"Next"}
    assert fresh.id in stored_records(workspace, "tasks")


@both_stores
def test_update_to_an_unknown_client_is_rejected_and_nothing_written(
    workspace: Workspace,
) -> None:
    client = workspace.repo(Client).add(Client(name="Known"))
    task = workspace.repo(Task).add(Task(title="Linked", client_id=client.id))
    before = snapshot_store(workspace)
    with pytest.raises(InvalidRecord):
        workspace.repo(Task).update(task.model_copy(update={"client_id": "01NOPE"}))
    assert snapshot_store(workspace) == before
    assert workspace.repo(Task).get(task.id).client_id == client.id


@both_stores
def test_delete_moves_to_trash_and_restore_brings_it_back(workspace: Workspace,
                                                          clock: StillClock) -> None:
    tasks = workspace.repo(Task)
    stored = tasks.add(Task(title="Call Ромашка", priority=Priority.HIGH))
    stored = tasks.update(stored.model_copy(update={"column": "todo"}))
    clock.advance(hours=1)
    entry = tasks.delete(stored.id)

    assert entry.source_table == "tasks"
    assert entry.record_id == stored.id
    assert entry.title == "Call Ромашка"
    assert entry.deleted_at == clock.now
    assert entry.deleted_by == os_user()
    with pytest.raises(RecordNotFound):
        tasks.get(stored.id)
    assert stored.id not in stored_records(workspace, "tasks")
    trash = TrashBin(workspace)
    assert [e.id for e in trash.entries()] == [entry.id]

    clock.advance(hours=1)
    restored = trash.restore(entry.id)
    assert restored["id"] == stored.id
    back = tasks.get(stored.id)
    assert back.title == "Call Ромашка"
    assert back.column == "todo"
    assert back.priority is Priority.HIGH
    assert back.rev == stored.rev + 1
    assert back.created_at == stored.created_at
    assert back.updated_at == clock.now
    assert trash.entries() == []
    with pytest.raises(RecordNotFound):
        trash.restore(entry.id)


@both_stores
def test_restore_refuses_when_the_record_is_back_already(workspace: Workspace) -> None:
    tasks = workspace.repo(Task)
    stored = tasks.add(Task(title="Twice"))
    entry = tasks.delete(stored.id)
    edit_outside(workspace, "tasks", stored.model_dump(mode="json"))
    with pytest.raises(InvalidRecord):
        TrashBin(workspace).restore(entry.id)
    assert [e.id for e in TrashBin(workspace).entries()] == [entry.id]


@both_stores
def test_trash_entries_older_than_30_days_are_purged_on_the_next_delete(
    workspace: Workspace, clock: StillClock,
) -> None:
    tasks = workspace.repo(Task)
    old, middle, new = (tasks.add(Task(title=title)) for title in ("old", "middle", "new"))
    old_entry = tasks.delete(old.id)
    clock.advance(days=2)
    middle_entry = tasks.delete(middle.id)
    clock.advance(days=29)  # old: 31 days in the trash; middle: 29 days
    # Listing already hides the expired entry, but it is still stored until the next delete.
    assert [e.id for e in TrashBin(workspace).entries()] == [middle_entry.id]
    assert old_entry.id in stored_records(workspace, "trash")

    new_entry = tasks.delete(new.id)

    stored_trash = stored_records(workspace, "trash")
    assert set(stored_trash) == {middle_entry.id, new_entry.id}
    assert [e.id for e in TrashBin(workspace).entries()] == [new_entry.id, middle_entry.id]
    purges = [line for line in audit_lines(workspace) if line["action"] == "purge"]
    assert [(line["table"], line["id"]) for line in purges] == [("trash", old_entry.id)]


@both_stores
def test_audit_names_the_os_user_not_the_user_variable(
    workspace: Workspace, clock: StillClock, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USER", "mallory")
    monkeypatch.setenv("LOGNAME", "mallory")
    monkeypatch.setenv("USERNAME", "mallory")
    os_user.cache_clear()
    real_user = pwd.getpwuid(os.getuid()).pw_name
    assert real_user != "mallory"

    tasks = workspace.repo(Task)
    stored = tasks.add(Task(title="Audited"))
    clock.advance(minutes=10)
    tasks.update(stored.model_copy(update={"title": "Audited twice", "due": date(2027, 1, 5)}))
    clock.advance(minutes=10)
    entry = tasks.delete(stored.id)

    lines = audit_lines(workspace)
    assert [(line["action"], line["table"], line["id"]) for line in lines] == [
        ("add", "tasks", stored.id),
        ("update", "tasks", stored.id),
        ("trash", "trash", entry.id),
        ("delete", "tasks", stored.id),
    ]
    assert {line["user"] for line in lines} == {real_user}
    assert {line["host"] for line in lines} == {socket.gethostname()}
    assert lines[1]["fields"] == ["due", "title"]
    assert lines[0]["fields"] == []
    assert datetime.fromisoformat(lines[0]["at"]) == START
    assert datetime.fromisoformat(lines[1]["at"]) == START + timedelta(minutes=10)
    assert entry.deleted_by == real_user


@both_stores
def test_failed_save_writes_no_audit_line(workspace: Workspace) -> None:
    tasks = workspace.repo(Task)
    stored = tasks.add(Task(title="Once"))
    tasks.update(stored.model_copy(update={"title": "Twice"}))
    count = len(audit_lines(workspace))
    with pytest.raises(ConflictError):
        tasks.update(stored.model_copy(update={"title": "Stale"}))
    assert len(audit_lines(workspace)) == count


# resolve


@pytest.fixture
def named_clients(workspace: Workspace) -> dict[str, Client]:
    clients = workspace.repo(Client)
    names = ["Acme", "Ромашка", "Beta", "Beta", "Gamma Corp", "GAMMA CORP"]
    made = [clients.add(Client(name=name)) for name in names]
    return {
        "acme": made[0], "romashka": made[1], "beta1": made[2], "beta2": made[3],
        "gamma": made[4], "GAMMA": made[5],
    }


@both_stores
def test_resolve_by_id(workspace: Workspace, named_clients: dict[str, Client]) -> None:
    clients = workspace.repo(Client)
    for client in named_clients.values():
        assert clients.resolve(client.id) == client


@both_stores
def test_resolve_by_exact_and_case_insensitive_name(
    workspace: Workspace, named_clients: dict[str, Client],
) -> None:
    clients = workspace.repo(Client)
    assert clients.resolve("Acme").id == named_clients["acme"].id
    assert clients.resolve("ACME").id == named_clients["acme"].id
    assert clients.resolve("  acme ").id == named_clients["acme"].id
    assert clients.resolve("Ромашка").id == named_clients["romashka"].id
    assert clients.resolve("РОМАШКА").id == named_clients["romashka"].id
    # An exact match wins over case-insensitive ones.
    assert clients.resolve("Gamma Corp").id == named_clients["gamma"].id
    assert clients.resolve("GAMMA CORP").id == named_clients["GAMMA"].id


@both_stores
def test_resolve_ambiguous_name_names_the_candidates(
    workspace: Workspace, named_clients: dict[str, Client],
) -> None:
    clients = workspace.repo(Client)
    with pytest.raises(RecordNotFound) as caught:
        clients.resolve("Beta")
    message = str(caught.value)
    assert named_clients["beta1"].id in message
    assert named_clients["beta2"].id in message
    with pytest.raises(RecordNotFound) as caught:
        clients.resolve("gamma corp")
    assert named_clients["gamma"].id in str(caught.value)
    assert named_clients["GAMMA"].id in str(caught.value)


@both_stores
def test_resolve_unknown_name(workspace: Workspace, named_clients: dict[str, Client]) -> None:
    with pytest.raises(RecordNotFound) as caught:
        workspace.repo(Client).resolve("Nobody Ltd")
    assert "Nobody Ltd" in str(caught.value)


@both_stores
def test_resolve_tasks_by_title(workspace: Workspace) -> None:
    tasks = workspace.repo(Task)
    stored = tasks.add(Task(title="Отчёт за ноябрь"))
    assert tasks.resolve("отчёт за НОЯБРЬ").id == stored.id


# property: any valid record round-trips unchanged

NASTY = "Ёё Жж Щщ ЪЫЬ «»„“”'\"`\\/\x00\x01\x07\x1b\x7f\t\n\r\u2028\u200b\ufeff😀👍🏽👨‍👩‍👧🇷🇺"
chars = st.one_of(st.sampled_from(NASTY), st.characters(codec="utf-8"))
texts = st.text(chars, max_size=40)
names = st.text(chars, min_size=1, max_size=60)
datetimes = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1),
    timezones=st.one_of(
        st.none(),
        st.sampled_from([UTC, timezone(timedelta(hours=3)),
                         timezone(timedelta(hours=-9, minutes=-30))]),
    ),
)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
amounts = st.one_of(
    *(st.decimals(min_value=0, max_value=Decimal("1e15") - 1, places=places,
                  allow_nan=False, allow_infinity=False) for places in (0, 2)),
)


def _build(model: type[Record], **values: Any) -> Any:
    try:
        return model(**values)
    except ValidationError:
        reject()


@st.composite
def clients(draw: st.DrawFn, client_ids: list[str]) -> Client:
    start, end = sorted(draw(st.lists(st.times(), min_size=2, max_size=2, unique=True)))
    return _build(
        Client,
        name=draw(names), kind=draw(st.sampled_from(ClientKind)),
        legal_form=draw(st.sampled_from(LegalForm)), status=draw(st.sampled_from(ClientStatus)),
        stage=draw(st.none() | st.sampled_from(RelationshipStage)),
        key_account=draw(st.booleans()), industry=draw(texts),
        preferred_channel=draw(st.sampled_from(Channel)),
        timezone=draw(st.sampled_from(["Europe/Moscow", "Asia/Yekaterinburg", "UTC",
                                       "America/St_Johns"])),
        working_hours=WorkingHours(
            start=start, end=end,
            weekdays=draw(st.lists(st.integers(0, 6), max_size=7)),
        ),
        cadence=draw(st.sampled_from(Cadence)),
        monthly_revenue=draw(amounts), cost_to_serve=draw(amounts),
        tags=draw(st.lists(texts, max_size=4)),
    )


@st.composite
def tasks(draw: st.DrawFn, client_ids: list[str]) -> Task:
    checklist = [
        ChecklistItem(text=text, done=done)
        for text, done in draw(st.lists(st.tuples(names, st.booleans()), max_size=3))
        if text.strip()
    ]
    return _build(
        Task,
        title=draw(names), description=draw(st.text(chars, max_size=300)),
        client_id=draw(st.sampled_from([None, *client_ids])),
        department=draw(st.sampled_from(["copywriting", "seo", "design", "other"])),
        assignee=draw(texts), column=draw(st.sampled_from(["backlog", "todo", "done"])),
        position=draw(st.floats(allow_nan=False, allow_infinity=False)),
        priority=draw(st.sampled_from(Priority)), due=draw(st.none() | dates),
        checklist=checklist, blocked_by_client=draw(st.booleans()),
        blocked_since=draw(st.none() | datetimes),
        estimate_hours=draw(st.none() | amounts), done_at=draw(st.none() | datetimes),
    )


@st.composite
def notes(draw: st.DrawFn, client_ids: list[str]) -> Note:
    return _build(
        Note,
        title=draw(names), body=draw(st.text(chars, max_size=2000)),
        client_id=draw(st.sampled_from([None, *client_ids])),
        kind=draw(st.sampled_from(NoteKind)), tags=draw(st.lists(texts, max_size=4)),
        pinned=draw(st.booleans()),
    )


@st.composite
def deals(draw: st.DrawFn, client_ids: list[str]) -> Deal:
    signed = draw(st.none() | dates)
    paid = draw(st.none() | dates)
    if signed and paid and paid < signed:
        signed, paid = paid, signed
    return _build(
        Deal,
        client_id=draw(st.sampled_from(client_ids)), title=draw(names),
        amount=_build(Money, amount=draw(amounts),
                      currency=draw(st.sampled_from(["RUB", "USD", "EUR", "KZT"]))),
        status=draw(st.sampled_from(DealStatus)), signed_on=signed, paid_on=paid,
    )


@both_stores
@pytest.mark.parametrize("strategy", [clients, tasks, notes, deals],
                         ids=["client", "task", "note", "deal"])
def test_any_valid_record_round_trips_unchanged(tmp_path: Path, strategy: Any, store: str,
                                                request: pytest.FixtureRequest) -> None:
    root = tmp_path / "prop"
    clock = StillClock()
    if store == "postgresql":
        request.getfixturevalue("monkeypatch").setenv(
            "AMTUI_DATABASE_URL", request.getfixturevalue("postgresql_url"))
        setup = postgresql_workspace(root, clock)
    else:
        setup = Workspace.open(root, create=True, clock=clock)
    client_ids = [setup.repo(Client).add(Client(name="Клиент «Ромашка»")).id]

    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(record=strategy(client_ids))
    def round_trip(record: Record) -> None:
        workspace = Workspace.open(root, clock=clock)
        stored = workspace.repo(type(record)).add(record)
        reopened = Workspace.open(root, clock=clock)
        got = reopened.repo(type(record)).get(record.id)
        assert got == stored
        assert got.model_dump() == stored.model_dump()
        assert got.model_dump(exclude=BOOKKEEPING) == record.model_dump(exclude=BOOKKEEPING)
        assert (got.rev, got.created_at, got.updated_at) == (1, clock.now, clock.now)

    round_trip()


# property: any sequence of changes, made through two workspace objects, keeps the file exact

operations = st.lists(
    st.tuples(
        st.sampled_from(["add", "add_many", "update", "delete", "restore", "outside_edit"]),
        st.integers(0, 1_000_000),  # picks the record, the workspace object and the count
        names,
    ),
    min_size=1, max_size=20,
)


@pytest.mark.parametrize("cache_bytes", [datafile.CACHE_BYTES, 0], ids=["cached", "streamed"])
def test_any_sequence_of_changes_keeps_the_file_exact(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, cache_bytes: int,
) -> None:
    """Two Workspace objects (two processes, in effect, each with its own cache) change the
    same table in turn; after every step the file is valid JSON with one record per line
    holding exactly the expected records, whichever way (edit in place or rewrite) the store
    chose to save, and whether the table is held in memory or read from disk."""
    monkeypatch.setattr(datafile, "CACHE_BYTES", cache_bytes)

    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(steps=operations)
    def run(steps: list[tuple[str, int, str]]) -> None:
        if not any(title.strip() for _op, _pick, title in steps):
            reject()
        root = tmp_path_factory.mktemp("seq") / "ws"
        clock = StillClock()
        views = [Workspace.open(root, create=True, clock=clock),
                 Workspace.open(root, clock=clock)]
        expected: dict[str, tuple[str, int]] = {}
        trash: list[str] = []
        path = root / "data" / "tasks.json"
        compact = True
        for op, pick, title in steps:
            title = title.strip() or "untitled"
            tasks = views[pick % 2].repo(Task)
            ids = sorted(expected)
            clock.advance(seconds=1)
            saved_by_amtui = op in ("add", "add_many") or (
                (op in ("update", "delete") and bool(ids)) or (op == "restore" and bool(trash)))
            if op == "add":
                stored = tasks.add(Task(title=title, description=title * (pick % 4)))
                expected[stored.id] = (stored.title, 1)
            elif op == "add_many":
                batch = tasks.add_many([Task(title=f"{title} {n}") for n in range(pick % 4 + 1)])
                expected.update((task.id, (task.title, 1)) for task in batch)
            elif op == "update" and ids:
                current = tasks.get(ids[pick % len(ids)])
                saved = tasks.update(current.model_copy(update={"title": title}))
                expected[saved.id] = (saved.title, current.rev + 1)
            elif op == "delete" and ids:
                record_id = ids[pick % len(ids)]
                trash.append(tasks.delete(record_id).id)
                del expected[record_id]
            elif op == "restore" and trash:
                entry_id = trash.pop(pick % len(trash))
                restored = TrashBin(views[pick % 2]).restore(entry_id)
                expected[restored["id"]] = (restored["title"], restored["rev"])
            elif op == "outside_edit" and ids and path.exists():
                # Another tool rewrites the file in a different (but valid) layout.
                data = orjson.loads(path.read_bytes())
                path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
                compact = False
            compact = compact or saved_by_amtui
            if not path.exists():
                assert expected == {}
                continue
            content = path.read_bytes()
            data = orjson.loads(content)
            if compact:
                assert datafile.encode_table_file("tasks", 1, data["tasks"]) == content, \
                    "the file is not one record per line"
            stored_records = {
                record_id: (record["title"], record["rev"])
                for record_id, record in data["tasks"].items()
            }
            assert stored_records == expected, op
            assert all(record["id"] == record_id for record_id, record in data["tasks"].items())
            for view in views:
                assert {t.id: (t.title, t.rev) for t in view.repo(Task).all()} == expected
        fresh = Workspace.open(root, clock=clock)
        assert fresh.read_only_tables() == {}
        assert {t.id: (t.title, t.rev) for t in fresh.repo(Task).all()} == expected
        assert sorted(e.id for e in TrashBin(fresh).entries()) == sorted(trash)

    run()


@both_stores
def test_stored_and_version_are_the_fast_reads_plugins_use(workspace: Workspace) -> None:
    clients = workspace.repo(Client)
    before = clients.version()
    saved = clients.add(Client(name="Atlas"))
    assert clients.stored(saved.id) == clients.raw()[saved.id]
    assert clients.stored(saved.id)["name"] == "Atlas"
    assert clients.stored("nope") is None and clients.stored(None) is None
    after = clients.version()
    assert after != before and clients.version() == after  # unchanged until the next save
    clients.update(saved.model_copy(update={"name": "Atlas 2"}))
    assert clients.version() != after
