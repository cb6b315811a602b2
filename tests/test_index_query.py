"""Repository.query and count: Django-style lookups asked of the record index when the fields
are columns of the table's copy, and answered the same from a read of the file when not."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

import pytest

from amtui.models import Deal, DealStatus, Money, Record
from amtui.storage import TableSpec, Workspace
from amtui.testing import StillClock

START = datetime(2026, 11, 2, 9, tzinfo=UTC)


class Kind(StrEnum):
    CALL = "call"
    MEETING = "meeting"
    MAIL = "mail"


class Visit(Record):
    """A record with a field of every kind a column can be."""

    table: ClassVar[str] = "visits"

    client_id: str
    at: datetime
    on: date | None = None
    kind: Kind = Kind.CALL
    done: bool = False
    score: int | None = None
    amount: Decimal = Decimal(0)
    note: str = ""
    tags: list[str] = []


EVERY_FIELD = ("at", "on", "kind", "done", "score", "amount", "note")


def visits() -> list[Visit]:
    """Sixty visits with ties, gaps (None) and every kind, in an order unlike any field's."""
    found = []
    for number in range(60):
        spread = (number * 37) % 60
        found.append(Visit(
            id=f"v{number:02d}", client_id=f"c{number % 4}",
            at=START + timedelta(hours=spread // 2),  # two visits at each moment
            on=None if number % 7 == 0 else date(2026, 11, 1) + timedelta(days=spread % 10),
            kind=list(Kind)[number % 3], done=number % 5 == 0,
            score=None if number % 6 == 0 else spread % 5,
            amount=Decimal(spread) / 4, note=["", "late", "Late", "ok"][number % 4],
            tags=["a"] if number % 2 else [], created_at=START, updated_at=START))
    return found


def open_with(path: Path, clock: StillClock, indexed: tuple[str, ...]) -> Workspace:
    workspace = Workspace.open(path, create=True, clock=clock)
    workspace.register_table(TableSpec("visits", Visit, folder="visiting", indexed=indexed))
    return workspace


def read_through_is_refused(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, reading the whole file fails: only the index may answer."""
    data_file = workspace.file("visits")

    def refused() -> Any:
        raise AssertionError("the file was read through instead of asking the index")

    monkeypatch.setattr(data_file, "stored", refused)
    monkeypatch.setattr(data_file, "scan", refused)


AT = START + timedelta(hours=10)
LOOKUPS: list[dict[str, Any]] = [
    {"kind": "call"}, {"kind": Kind.MEETING}, {"kind__in": ["call", Kind.MAIL]},
    {"kind__in": []}, {"at__gt": AT}, {"at__lte": AT}, {"at": AT},
    {"at__gte": AT.astimezone(timezone(timedelta(hours=3)))},
    {"on__gte": date(2026, 11, 5)}, {"on__lt": date(2026, 11, 3)}, {"on": None},
    {"on__isnull": False}, {"on__in": [date(2026, 11, 1), date(2026, 11, 9), None]},
    {"done": True}, {"done": False}, {"score__gte": 3}, {"score__lt": 2},
    {"score__in": [1, 2, None]}, {"score": None}, {"score__isnull": False},
    {"amount__gt": Decimal("10.5")}, {"amount__lte": 10}, {"amount": Decimal("7.25")},
    {"note": ""}, {"note__in": ["late", "ok"]}, {"note__gt": "L"},
    {"client_id": "c1"}, {"id__in": ["v03", "v17", "v59", "nobody"]},
    {"client_id__in": ["c0", "c3"], "kind": "mail", "on__isnull": False},
    {"at__gte": AT, "at__lt": AT + timedelta(hours=6), "done": False},
    {"kind__ne": "call"}, {"score__ne": 2}, {"on__ne": date(2026, 11, 5)},
    {"note__ne": "late", "client_id__ne": "c2"},
]
ORDERS: list[dict[str, Any]] = [
    {}, {"order_by": "at"}, {"order_by": "on", "descending": True},
    {"order_by": "score", "limit": 7}, {"order_by": "amount", "descending": True, "limit": 5},
    {"order_by": "kind"}, {"order_by": "note", "descending": True}, {"order_by": "done"},
    {"limit": 0},
]


def test_the_index_and_a_read_through_find_the_same_records_in_the_same_order(
        tmp_path: Path, clock: StillClock, monkeypatch: pytest.MonkeyPatch) -> None:
    indexed = open_with(tmp_path / "indexed", clock, EVERY_FIELD)
    plain = open_with(tmp_path / "plain", clock, ())
    for workspace in (indexed, plain):
        workspace.repo(Visit).add_many(visits(), keep_timestamps=True)
    assert indexed.repo(Visit).count(kind="call") == 20  # the copy is made here
    read_through_is_refused(indexed, monkeypatch)
    asked = 0
    for lookups in LOOKUPS:
        for order in ORDERS:
            in_sql = indexed.repo(Visit).query(**lookups, **order)
            read = plain.repo(Visit).query(**lookups, **order)
            assert [visit.id for visit in in_sql] == [visit.id for visit in read], (
                lookups, order)
            assert in_sql == read
            asked += bool(read)
        count = indexed.repo(Visit).count(**lookups)
        assert count == plain.repo(Visit).count(**lookups)
        assert 0 < count < 60 or lookups in ({"kind__in": []}, {"on__isnull": False}), lookups
    assert asked > len(LOOKUPS) * 7  # the lookups find records: the comparison means something


def test_counts_by_a_field_agree_with_the_records(tmp_path: Path, clock: StillClock,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    indexed = open_with(tmp_path / "indexed", clock, EVERY_FIELD)
    plain = open_with(tmp_path / "plain", clock, ())
    for workspace in (indexed, plain):
        workspace.repo(Visit).add_many(visits(), keep_timestamps=True)
    assert indexed.repo(Visit).count() == 60
    indexed.repo(Visit).count(kind="call")  # the copy is made here
    read_through_is_refused(indexed, monkeypatch)
    for lookups in LOOKUPS:
        for field in ("client_id", "kind", "note"):
            wanted = Counter(str(getattr(visit, field)) for visit in plain.repo(Visit).query(
                **lookups))
            assert indexed.repo(Visit).count_by(field, **lookups) == wanted, (field, lookups)
            assert plain.repo(Visit).count_by(field, **lookups) == wanted, (field, lookups)
    assert indexed.repo(Visit).count_by("kind", kind__ne="call") == {"meeting": 20, "mail": 20}
    assert indexed.repo(Visit).count_by("client_id", score__ne=2, client_id__in=["c1"]) == {
        "c1": sum(1 for visit in visits() if visit.client_id == "c1"
                  and visit.score is not None and visit.score != 2)}


def test_counts_by_a_field_that_is_not_text_are_refused(tmp_path: Path,
                                                         clock: StillClock) -> None:
    workspace = open_with(tmp_path / "ws", clock, EVERY_FIELD)
    for field in ("at", "score", "done"):
        with pytest.raises(ValueError, match="not text"):
            workspace.repo(Visit).count_by(field)


def test_a_lookup_on_a_field_that_is_no_column_reads_the_file(tmp_path: Path,
                                                              clock: StillClock) -> None:
    workspace = open_with(tmp_path / "ws", clock, ("kind",))
    workspace.repo(Visit).add_many(visits(), keep_timestamps=True)
    found = workspace.repo(Visit).query(kind="mail", score__gte=4, order_by="at")
    assert [visit.id for visit in found] == [
        visit.id for visit in sorted(visits(), key=lambda visit: visit.at)
        if visit.kind == "mail" and visit.score is not None and visit.score >= 4]
    assert found


def test_a_changed_indexed_tuple_makes_the_copy_again(tmp_path: Path, clock: StillClock,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    before = open_with(tmp_path / "ws", clock, ("kind",))
    before.repo(Visit).add_many(visits(), keep_timestamps=True)
    assert before.repo(Visit).count(kind="mail") == 20
    assert before.index.is_fresh(before.file("visits"))
    after = open_with(tmp_path / "ws", clock, ("kind", "done"))  # the plugin's next version
    assert not after.index.is_fresh(after.file("visits"))
    assert after.repo(Visit).count(done=True) == 12
    assert after.index.is_fresh(after.file("visits"))
    read_through_is_refused(after, monkeypatch)
    assert after.repo(Visit).count(kind="mail", done=True) == 4  # now a column: asked in SQL
    assert not before.index.is_fresh(before.file("visits"))  # the old layout is not trusted


def test_a_save_keeps_the_new_columns_in_step(tmp_path: Path, clock: StillClock,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = open_with(tmp_path / "ws", clock, EVERY_FIELD)
    repo = workspace.repo(Visit)
    repo.add_many(visits(), keep_timestamps=True)
    assert repo.count(score__gte=4) == 10
    first = repo.get("v01")
    assert (first.score, repo.get("v02").score) == (2, 4)
    repo.update(first.model_copy(update={"score": 4, "note": "moved"}))  # one more
    repo.delete("v02")  # one fewer
    assert workspace.index.is_fresh(workspace.file("visits"))
    read_through_is_refused(workspace, monkeypatch)
    assert [visit.id for visit in repo.query(note="moved")] == ["v01"]
    assert [visit.id for visit in repo.query(score__gte=4, order_by="id", limit=2)] == [
        "v01", "v07"]
    assert repo.count(score__gte=4) == 10
    assert repo.count() == 59


def test_a_bad_lookup_or_indexed_field_is_refused_clearly(tmp_path: Path,
                                                          clock: StillClock) -> None:
    workspace = open_with(tmp_path / "ws", clock, ())
    repo = workspace.repo(Visit)
    with pytest.raises(ValueError, match="no field 'colour'"):
        repo.query(colour="red")
    with pytest.raises(ValueError, match="tags cannot be looked up"):
        repo.query(tags=["a"])
    with pytest.raises(ValueError, match="give a list"):
        repo.query(kind__in="call")
    with pytest.raises(ValueError, match="None"):
        repo.query(score__lt=None)
    with pytest.raises(ValueError, match="tags cannot be looked up or indexed"):
        TableSpec("visits", Visit, indexed=("tags",))


def test_the_core_deals_are_asked_by_status_and_day(workspace: Workspace,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui.models import Client

    client = workspace.repo(Client).add(Client(name="Ромашка"))
    workspace.repo(Deal).add_many([
        Deal(client_id=client.id, title=f"Deal {number}", amount=Money(amount=100),
             status=DealStatus.WON if number % 2 else DealStatus.PROPOSAL,
             signed_on=date(2026, 10, 1) + timedelta(days=10 * number)) for number in range(6)])
    assert workspace.repo(Deal).count() == 6
    assert workspace.repo(Deal).count(status="won") == 3  # the copy is made here
    monkeypatch.setattr(workspace.file("deals"), "stored", None)
    found = workspace.repo(Deal).query(status=DealStatus.WON,
                                       signed_on__gte=date(2026, 10, 15), order_by="signed_on")
    assert [deal.title for deal in found] == ["Deal 3", "Deal 5"]
