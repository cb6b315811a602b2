"""``amtui.testing``'s waits: they wait for a state, and fail naming what never came."""

from __future__ import annotations

import asyncio
import threading

import pytest
from textual import work
from textual.app import App, ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

import amtui.testing
from amtui.testing import settle, wait_until


class Step(Message):
    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number


class Chain(App[None]):
    """Each step runs in a worker whose message starts the next one, up to ``last``."""

    def __init__(self, last: int, gate: threading.Event | None = None) -> None:
        super().__init__()
        self.last = last
        self.gate = gate
        self.steps: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static("chain")

    def on_mount(self) -> None:
        self.step(1)

    @work(thread=True)
    def step(self, number: int) -> None:
        if self.gate is not None:
            assert self.gate.wait(timeout=60)
        self.post_message(Step(number))

    def on_step(self, message: Step) -> None:
        self.steps.append(message.number)
        if message.number < self.last:
            self.step(message.number + 1)


async def test_settle_waits_for_work_that_starts_more_work() -> None:
    gate = threading.Event()
    app = Chain(last=4, gate=gate)
    async with app.run_test() as pilot:
        settled = asyncio.create_task(settle(pilot))
        for _round in range(10):
            await pilot.pause()
        assert not settled.done()  # a worker is still running
        assert app.steps == []
        gate.set()
        await settled
        assert app.steps == [1, 2, 3, 4]


async def test_wait_until_runs_while_a_worker_is_held_and_names_what_never_came(
        monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    app = Chain(last=2, gate=gate)
    async with app.run_test() as pilot:
        monkeypatch.setattr(amtui.testing, "WAIT_LIMIT", 0.0)
        with pytest.raises(AssertionError, match="waited in vain for the first step"):
            await wait_until(pilot, lambda: app.steps, "the first step")
        gate.set()
        monkeypatch.setattr(amtui.testing, "WAIT_LIMIT", 120.0)
        await wait_until(pilot, lambda: app.steps == [1, 2], "both steps")


class NeverShown(Screen[None]):
    loads_shown = 0


async def test_settle_fails_naming_a_pane_that_never_shows_its_data(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = Chain(last=1)
    async with app.run_test() as pilot:
        await settle(pilot)
        await app.push_screen(NeverShown())
        monkeypatch.setattr(amtui.testing, "WAIT_LIMIT", 0.0)
        with pytest.raises(AssertionError, match="NeverShown has not shown its data yet"):
            await settle(pilot)


async def test_settle_fails_naming_a_worker_that_never_ends(
        monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    app = Chain(last=1, gate=gate)
    async with app.run_test() as pilot:
        monkeypatch.setattr(amtui.testing, "WAIT_LIMIT", 0.0)
        with pytest.raises(AssertionError, match="workers running: step"):
            await settle(pilot)
        gate.set()
