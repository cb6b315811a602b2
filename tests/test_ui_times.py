"""Times as shown: in the agency's zone, naming another zone when one is shown."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from textual.widgets import DataTable

from amtui.dates import agency_zone, day_and_time, elsewhere, zone_label
from amtui.models import Task
from amtui.storage import Workspace
from amtui.testing import StillClock, settle
from amtui.ui.app import AmtuiApp
from amtui.ui.trash import TrashScreen

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC).astimezone(agency_zone("Europe/Moscow"))


@pytest.mark.parametrize(("moment", "shown"), [
    (datetime(2026, 11, 26, 5, 30, tzinfo=UTC), "today 08:30"),
    (datetime(2026, 11, 25, 20, 59, tzinfo=UTC), "yesterday 23:59"),
    (datetime(2026, 11, 25, 21, 0, tzinfo=UTC), "today 00:00"),
    (datetime(2026, 3, 1, 9, 0, tzinfo=UTC), "01.03 12:00"),
    (datetime(2025, 12, 31, 20, 0, tzinfo=UTC), "31.12.2025 23:00"),
])
def test_day_and_time_in_the_agencys_zone(moment: datetime, shown: str) -> None:
    assert day_and_time(moment, NOW) == shown


def test_another_zone_says_whose_it_is() -> None:
    moment = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)
    assert elsewhere(moment, agency_zone("Asia/Yekaterinburg"), NOW) == \
        "12:30 (Yekaterinburg, UTC+5)"
    assert elsewhere(moment, agency_zone("America/New_York"), NOW) == \
        "02:30 (New York, UTC-5)"
    assert elsewhere(moment, agency_zone("Asia/Kolkata"), NOW) == "13:00 (Kolkata, UTC+5:30)"
    assert elsewhere(moment, agency_zone("Europe/Moscow"), NOW) == ""
    assert elsewhere(datetime(2026, 11, 26, 20, 0, tzinfo=UTC),
                     agency_zone("Asia/Vladivostok"), NOW) == "27.11 06:00 (Vladivostok, UTC+10)"
    assert zone_label(agency_zone("UTC"), moment) == "UTC, UTC+0"
    assert agency_zone("Nowhere/Atlantis").key == "UTC"


@pytest.fixture
def utc_machine() -> Iterator[None]:
    """The machine's own zone is UTC (a server): the agency's is Moscow."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "UTC")
        time.tzset()
        yield
    time.tzset()


@pytest.mark.usefixtures("utc_machine")
async def test_the_trash_shows_when_in_the_agencys_time(workspace: Workspace,
                                                        clock: StillClock) -> None:
    task = workspace.repo(Task).add(Task(title="Лишняя"))
    workspace.repo(Task).delete(task.id)  # at 09:00 UTC: 12:00 in Moscow
    app = AmtuiApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, TrashScreen)
        row = app.screen.query_one("#trash-table", DataTable).get_row_at(0)
        assert row[0].plain == "today 12:00"
