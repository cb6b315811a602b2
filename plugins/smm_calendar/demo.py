"""Demo posts for ``amtui demo``: a few hundred (small) or 10,000 (large) posts around today,
their statuses and trails as real work leaves them, and content plan rules with their slots.
The same seed on the same day gives the same posts, ids included."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from amtui.api import Client, Member

from .i18n import ngettext
from .model import (
    TRANSITIONS,
    Post,
    PostStatus,
    SlotRule,
    TrailEntry,
    TrailKind,
    settings_of,
)
from .slots import slot_days
from .times import add_months, moment_at, month_bounds, zone

if TYPE_CHECKING:
    from amtui.api import Workspace

@dataclass(frozen=True)
class Size:
    posts: int
    clients: int
    """Clients with posts."""
    rules: int
    """Clients with a content plan rule."""
    first_day: int
    last_day: int
    """Posts fall between these days from today."""


SIZES = {"small": Size(300, 12, 3, -45, 45), "large": Size(10_000, 1_000, 50, -120, 90)}

TITLES = [
    "Анонс акции недели", "Кейс клиента: {topic}", "Закулисье: как мы работаем", "Опрос: {topic}",
    "Подборка советов: {topic}", "Новинка в каталоге", "Отзыв покупателя", "Розыгрыш к выходным",
    "Behind the scenes", "Customer story: {topic}", "Tips for {topic}", "Weekly digest",
    "Новости компании", "Ответы на вопросы подписчиков", "Чек-лист: {topic}",
    "Before / after", "Итоги месяца", "Команда: знакомство", "FAQ: {topic}", "Live-эфир: анонс",
]
TOPICS = ["доставка", "скидки", "новый сезон", "подарки", "уход", "ремонт", "спорт", "кофе",
          "pricing", "onboarding", "summer", "the team"]
TEXTS = [
    "Рассказываем, что нового на этой неделе. Подробности — по ссылке в профиле.",
    "Три коротких совета, которые сэкономят вам время. Сохраняйте, чтобы не потерять!",
    "We asked our customers what they love most. Here is what they said.",
    "Скидка 15% до воскресенья. Промокод в сторис.",
    "Как это было: фото с площадки и пара слов от команды.",
]
HASHTAGS = ["#акция", "#новинка", "#советы", "#команда", "#отзывы", "#sale", "#howto", "#smm"]
MEDIA = ["3 фото с площадки", "видео 30 с, вертикальное", "карусель из 5 слайдов",
         "баннер 1080×1080", ""]
HOURS = [time(9, 0), time(10, 0), time(12, 30), time(15, 0), time(18, 0), time(19, 30)]
RULE_DAYS = [[0, 2, 4], [1, 3], [0, 3], [2]]
"""Mon/Wed/Fri, Tue/Thu, Mon/Thu, Wed."""

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
S = PostStatus


class DemoPosts:
    def __init__(self, workspace: Workspace, size: str, seed: int) -> None:
        self.rng = random.Random(f"smm_calendar:{seed}")
        self.now = workspace.clock().astimezone(UTC)
        self.plan = SIZES[size]
        self.settings = settings_of(workspace)
        self.default_zone = workspace.settings.timezone
        self._ms = int(self.now.timestamp() * 1000) - 5_000_000

    def new_id(self) -> str:
        """A ULID from the seeded generator: the same seed gives the same ids."""
        self._ms += 1
        value = self._ms << 80 | self.rng.getrandbits(80)
        return "".join(_ALPHABET[(value >> shift) & 31] for shift in range(125, -1, -5))

    def status_for(self, publish_at: datetime) -> PostStatus:
        days = (publish_at - self.now).total_seconds() / 86_400
        roll = self.rng.random()
        if days < -1:
            return S.PUBLISHED if roll < 0.88 else S.REJECTED if roll < 0.95 else S.APPROVED
        if days < 3:
            return (S.SCHEDULED if roll < 0.45 else S.APPROVED if roll < 0.65
                    else S.CLIENT_APPROVAL if roll < 0.85 else S.INTERNAL_REVIEW)
        if days < 14:
            return (S.CLIENT_APPROVAL if roll < 0.25 else S.INTERNAL_REVIEW if roll < 0.5
                    else S.DRAFT if roll < 0.8 else S.APPROVED)
        return S.IDEA if roll < 0.5 else S.DRAFT if roll < 0.9 else S.INTERNAL_REVIEW

    def trail(self, status: PostStatus, publish_at: datetime,
              people: list[str]) -> tuple[list[TrailEntry], datetime, datetime | None]:
        """The steps from idea to ``status``, spread over the days before the post (never
        after now); also when it was made and last sent for approval."""
        path = [S.IDEA]
        while path[-1] != status:
            following = S.REJECTED if status is S.REJECTED and path[-1] is S.CLIENT_APPROVAL \
                else TRANSITIONS[path[-1]][0]
            path.append(following)
        latest = min(self.now, publish_at) - timedelta(hours=1)
        if status is S.CLIENT_APPROVAL:
            latest = min(latest, self.now - timedelta(hours=self.rng.randint(2, 6 * 24)))
        start = latest - timedelta(days=self.rng.randint(len(path), 20))
        step = (latest - start) / max(len(path) - 1, 1)
        entries = [TrailEntry(at=start, by=self.rng.choice(people), kind=TrailKind.CREATED,
                              to_status=S.IDEA)]
        sent = None
        for number, (before, after) in enumerate(pairwise(path), start=1):
            at = start + step * number
            if after is S.CLIENT_APPROVAL:
                sent = at
            text = "" if after is not S.REJECTED else "Клиент решил не публиковать"
            entries.append(TrailEntry(at=at, by=self.rng.choice(people), kind=TrailKind.STATUS,
                                      from_status=before, to_status=after, text=text))
        if status in (S.DRAFT, S.INTERNAL_REVIEW) and self.rng.random() < 0.2:
            entries.append(TrailEntry(at=latest, by=self.rng.choice(people),
                                      kind=TrailKind.COMMENT, text="Нужно фото получше"))
        return entries, start, sent

    def post(self, client: dict[str, Any], channel: str, day: date, at: time,
             members: list[dict[str, Any]], people: list[str]) -> Post:
        zone_name = str(client.get("timezone") or self.default_zone)
        publish_at = moment_at(day, at, zone_name)
        status = self.status_for(publish_at)
        trail, made, sent = self.trail(status, publish_at, people)
        title = self.rng.choice(TITLES).format(topic=self.rng.choice(TOPICS))
        written = status is not S.IDEA
        return Post(
            id=self.new_id(), rev=len(trail), created_at=made, updated_at=trail[-1].at,
            client_id=client["id"], channel=channel, publish_at=publish_at, title=title,
            text=self.rng.choice(TEXTS) if written else "",
            media_notes=self.rng.choice(MEDIA) if written else "",
            hashtags=self.rng.sample(HASHTAGS, self.rng.randint(0, 3)),
            assignee_id=self.rng.choice(members)["id"] if members else None,
            status=status, tags=self.rng.sample(["промо", "контент", "ugc"],
                                                self.rng.randint(0, 1)),
            trail=trail, sent_for_approval_at=sent)


def fill_calendar(workspace: Workspace, size: str, seed: int,
                  say: Callable[[str], None]) -> None:
    if size not in SIZES:
        return
    demo = DemoPosts(workspace, size, seed)
    rng = demo.rng
    clients = [raw for raw in workspace.repo(Client).scan() if raw.get("status") == "active"]
    if not clients:
        return
    clients = rng.sample(clients, min(demo.plan.clients, len(clients)))
    members = list(workspace.repo(Member).scan())
    people = [str(raw.get("login") or raw["id"]) for raw in members] or ["demo"]
    channels = demo.settings.channels
    client_channels = {client["id"]: rng.sample(channels, min(len(channels), rng.randint(1, 3)))
                       for client in clients}
    today = demo.now.astimezone(zone(workspace.settings.timezone)).date()
    # Content plan rules for a quarter of the clients, with their days this month and next:
    # past and near ones filled, later ones partly still empty slots.
    rules: list[SlotRule] = []
    slots: list[Post] = []
    first, last = today.replace(day=1), month_bounds(add_months(today, 1))[1]
    for client in clients[: demo.plan.rules]:
        channel = client_channels[client["id"]][0]
        rule = SlotRule(id=demo.new_id(), rev=1, created_at=demo.now - timedelta(days=40),
                        updated_at=demo.now - timedelta(days=40), client_id=client["id"],
                        channel=channel, weekdays=rng.choice(RULE_DAYS), at=time(10, 0))
        rules.append(rule)
        for day in slot_days(rule.weekdays, first, last):
            post = demo.post(client, channel, day, rule.at, members, people)
            if day > today + timedelta(days=7) and rng.random() < 0.6:  # not filled yet
                post = post.model_copy(update={
                    "title": f"{demo.settings.title_of(channel)} slot", "text": "",
                    "media_notes": "", "hashtags": [], "status": S.IDEA,
                    "sent_for_approval_at": None, "trail": post.trail[:1], "rev": 1,
                    "updated_at": post.trail[0].at, "slot_rule_id": rule.id})
            slots.append(post)
    posts = []
    for _number in range(max(demo.plan.posts - len(slots), 0)):
        client = rng.choice(clients)
        day = today + timedelta(days=rng.randint(demo.plan.first_day, demo.plan.last_day))
        posts.append(demo.post(client, rng.choice(client_channels[client["id"]]), day,
                               rng.choice(HOURS), members, people))
    total = len(posts) + len(slots)
    say(ngettext("writing {count:,} post", "writing {count:,} posts", total).format(count=total)
        + ngettext(" and {count} content plan rule", " and {count} content plan rules",
                   len(rules)).format(count=len(rules)))
    workspace.repo(SlotRule).add_many(rules, keep_timestamps=True)
    workspace.repo(Post).add_many(posts + slots, keep_timestamps=True)
