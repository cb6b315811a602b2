"""Realistic demo data: an agency's clients, deals, work, messages and notes.

Deterministic for a seed and a day: the same seed on the same day gives the same workspace.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from amtui.models import (
    ChecklistItem,
    Client,
    Contact,
    Deal,
    Member,
    Message,
    Money,
    Note,
    Record,
    Task,
)
from amtui.models.ids import encode_ulid
from amtui.models.workspace import WorkspaceSettings
from amtui.services.hours import WorkingDays, add_working_hours
from amtui.services.rules import answer_hours
from amtui.storage import Workspace

SIZES = {
    "small": {"clients": 40, "tasks": 320, "messages": 160, "notes": 60, "members": 6},
    "large": {"clients": 10_000, "tasks": 50_000, "messages": 20_000, "notes": 5_000,
              "members": 40},
}

MEMBERS = [
    ("Анна Смирнова", "head"), ("Дмитрий Козлов", "kam"), ("Maria Petrova", "kam"),
    ("Игорь Волков", "account_manager"), ("Ольга Лебедева", "account_manager"),
    ("Sergey Orlov", "assistant"), ("Екатерина Новикова", "account_manager"),
    ("Павел Морозов", "kam"), ("Alexey Fedorov", "account_manager"),
    ("Наталья Соколова", "assistant"),
]
COMPANY_WORDS = [
    "Ромашка", "Северный Ветер", "Технопарк", "Альфа-Строй", "Вкусвилл-Маркет", "Медведь",
    "Уралсиб-Логистик", "Зелёный Квартал", "Байкал", "Сибирский Мёд", "Волга-Трейд", "Кедр",
    "Русские Самоцветы", "Город Мастеров", "Эко Ферма", "Ладога", "Полюс", "Айсберг",
    "Nordwind Logistics", "Blue Fern Studio", "Brightside Dental", "Copper Kettle Coffee",
    "Atlas Fitness", "Greenline Realty", "Pixel Forge", "Harbor Legal", "Sunrise Bakery",
    "Vector Motors", "Silver Birch Hotels", "Northstar Clinics", "Oak & Iron Furniture",
]
COMPANY_FORMS = ["ООО «{}»", "АО «{}»", "{}", "{} Group", "ГК «{}»", "{} Ltd"]
PEOPLE = [
    (["Алексей", "Сергей", "Виктор", "Андрей", "Михаил", "Дмитрий"],
     ["Иванов", "Попов", "Соколов", "Новиков", "Фёдоров", "Лебедев"]),
    (["Марина", "Елена", "Юлия", "Ирина", "Татьяна", "Дарья"],
     ["Кузнецова", "Васильева", "Михайлова", "Морозова", "Павлова", "Орлова"]),
    (["John", "Emma", "Oliver", "Sophia", "James", "Olivia"],
     ["Smith", "Brown", "Wilson", "Taylor", "Clarke", "Evans"]),
]
"""First and last names that go together: Russian male, Russian female, English."""
INDUSTRIES = ["e-commerce", "недвижимость", "медицина", "HoReCa", "образование", "логистика",
              "retail", "финансы", "строительство", "beauty", "auto", "b2b-услуги"]
TIMEZONES = ["Europe/Moscow"] * 6 + ["Asia/Yekaterinburg", "Asia/Novosibirsk", "Europe/Samara",
             "Asia/Vladivostok", "Europe/Kaliningrad", "Europe/London", "Asia/Dubai"]
ROLES = ["генеральный директор", "маркетолог", "руководитель отдела продаж", "CMO",
         "бренд-менеджер", "owner", "product manager", "помощник директора"]
TASKS = {
    "copywriting": ["Тексты для лендинга", "Статья в блог: {topic}", "Write product descriptions",
                    "Посты на неделю для VK", "Email-рассылка к распродаже"],
    "seo": ["Аудит семантического ядра", "Перелинковка каталога", "Fix crawl errors",
            "Метатеги для раздела «{topic}»", "Отчёт по позициям за месяц"],
    "context_ads": ["Запуск кампании в Яндекс Директ", "Минус-слова для РСЯ",
                    "A/B test ad copy", "Ретаргетинг на брошенные корзины",
                    "Пересобрать кампанию «{topic}»"],
    "analytics": ["Настроить цели в Метрике", "Сквозная аналитика: подключить CRM",
                  "Monthly dashboard", "Разметка UTM для рассылки", "Когортный отчёт"],
    "design": ["Макет главной страницы", "Баннеры для акции", "Redesign checkout flow",
               "Юзабилити-аудит карточки товара", "Креативы для таргета"],
    "development": ["Вёрстка лендинга", "Интеграция с 1С", "Fix mobile menu",
                    "Форма заявки с капчей", "Ускорить загрузку каталога"],
}
TOPICS = ["Весенняя коллекция", "доставка", "Black Friday", "новый филиал", "ипотека",
          "имплантация", "корпоративы", "франшиза", "подарочные карты"]
CHECKLIST = ["Согласовать ТЗ", "Черновик", "Внутренняя проверка", "Правки клиента", "Publish"]
MESSAGES = {
    "question": ["Когда будет готов макет главной?", "Подскажите, что со статистикой за неделю?",
                 "Can you send the updated report?", "Сколько будет стоить доработка формы?",
                 "Почему упал трафик из поиска?"],
    "request": ["Нужно добавить новый раздел «{topic}» на сайт",
                "Please launch the campaign for {topic} by Friday",
                "Подготовьте, пожалуйста, предложение по продвижению в Telegram",
                "Хотим обновить баннеры к акции «{topic}»"],
    "complaint": ["Реклама не показывается с утра!", "Сайт не открывается с телефона",
                  "We have been waiting for the texts for a week", "В отчёте неверные цифры"],
    "approval": ["Согласовываем тексты? Прикладываю правки", "Макет утвердили, можно в работу",
                 "Approved the budget for next month"],
    "feedback": ["Спасибо, новые креативы отлично работают", "The new landing page converts well",
                 "Отчёт понятный, спасибо"],
}
NOTE_BODIES = {
    "meeting": "# Встреча с клиентом\n\n**Участники:** {person}, {member}\n\n## Договорились\n"
               "- запустить кампанию «{topic}» до конца месяца\n- клиент присылает фото до "
               "пятницы\n\n## Следующий шаг\nСозвон через неделю.\n",
    "brief": "# Бриф: {topic}\n\n## Цель\nУвеличить число заявок на 20%.\n\n## Аудитория\n"
             "Жители города 25–45 лет.\n\n## Бюджет и сроки\nДо 300 000 ₽, запуск через "
             "две недели.\n",
    "spec": "# ТЗ: {topic}\n\n1. Структура страницы\n2. Тексты — отдел копирайтинга\n"
            "3. Макет — дизайн\n4. Вёрстка и формы — разработка\n\nСрок сдачи: 10 рабочих дней.\n",
    "knowledge": "# Knowledge base: {topic}\n\nBrand voice: friendly, no jargon.\n"
                 "Logo files are in the shared drive.\n",
    "report": "# Отчёт за месяц\n\n| Показатель | Значение |\n|---|---|\n| Заявки | 184 |\n"
              "| Стоимость заявки | 1 240 ₽ |\n\nВыводы: {topic} работает лучше всего.\n",
}


@dataclass
class DemoCounts:
    clients: int = 0
    contacts: int = 0
    members: int = 0
    deals: int = 0
    tasks: int = 0
    messages: int = 0
    notes: int = 0


class DemoBuilder:
    """Builds the records of a demo workspace from a seeded random generator."""

    def __init__(self, seed: int, now: datetime, departments: list[str], columns: list[str],
                 settings: WorkspaceSettings) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.today = now.date()
        self.departments = [d for d in departments if d in TASKS] or list(TASKS)
        self.columns = columns
        self.settings = settings
        self._ms = int(now.timestamp() * 1000) - 10_000_000

    def new_id(self) -> str:
        self._ms += 1
        return encode_ulid(self._ms, self.rng.randbytes(10))

    def stamp(self, days_ago: float) -> datetime:
        return self.now - timedelta(days=days_ago)

    def base(self, days_ago: float) -> dict[str, Any]:
        moment = self.stamp(days_ago)
        return {"id": self.new_id(), "rev": 1, "created_at": moment, "updated_at": moment}

    def members(self, count: int) -> list[Member]:
        result = []
        for index in range(count):
            name, role = MEMBERS[index % len(MEMBERS)]
            if index >= len(MEMBERS):
                name = f"{name} {index // len(MEMBERS) + 1}"
            login = f"am{index + 1:02d}"
            result.append(Member(**self.base(400), name=name, role=role, login=login,
                                 email=f"{login}@agency.example"))
        return result

    def person(self) -> tuple[str, str]:
        first_names, last_names = self.rng.choice(PEOPLE)
        return self.rng.choice(first_names), self.rng.choice(last_names)

    def client_name(self, index: int, used: set[str], is_person: bool) -> str:
        if is_person:
            name = " ".join(self.person())
        else:
            name = self.rng.choice(COMPANY_FORMS).format(self.rng.choice(COMPANY_WORDS))
        while name in used:
            name = f"{name.rstrip('0123456789 ')} {index}"
            index += 7919
        used.add(name)
        return name

    def clients(self, count: int, members: list[Member]) -> list[Client]:
        owners = [m for m in members if m.role != "assistant"] or members
        used: set[str] = set()
        result = []
        for index in range(count):
            status = self.rng.choices(["active", "dormant", "lead", "churned"], [60, 20, 12, 8])[0]
            kind = "b2b" if self.rng.random() < 0.7 else "b2c"
            revenue = Decimal(0)
            if status == "active":
                revenue = Decimal(int(self.rng.paretovariate(1.16) * 25_000) // 1000 * 1000)
            cost = (revenue * Decimal(self.rng.uniform(0.15, 0.6))).quantize(Decimal(1))
            is_person = kind == "b2c" and self.rng.random() < 0.5
            name = self.client_name(index, used, is_person)
            result.append(Client(
                **self.base(self.rng.uniform(30, 900)),
                name=name, kind=kind, legal_form="person" if is_person else "company",
                status=status, owner_id=self.rng.choice(owners).id,
                stage=self.rng.choice([None, "tactical", "operational", "functional",
                                       "strategic"]) if kind == "b2b" else None,
                key_account=revenue > 150_000,
                industry=self.rng.choice(INDUSTRIES),
                preferred_channel=self.rng.choice(["telegram", "whatsapp", "email", "phone"]),
                timezone=self.rng.choice(TIMEZONES),
                cadence=self.rng.choices(["daily", "weekly", "biweekly", "monthly"],
                                         [25, 45, 20, 10])[0],
                monthly_revenue=revenue, cost_to_serve=cost,
                tags=self.rng.sample(["vip", "seo", "smm", "ppc", "retainer", "project"],
                                     self.rng.randint(0, 2)),
            ))
        return result

    def contacts(self, clients: list[Client]) -> list[Contact]:
        result = []
        for client in clients:
            for position in range(self.rng.choice([1, 1, 2, 2, 3, 4])):
                first, last = self.person()
                influence = ("decision_maker" if position == 0 else
                             self.rng.choice(["champion", "stakeholder", "blocker"]))
                result.append(Contact(
                    **self.base(self.rng.uniform(10, 600)), client_id=client.id,
                    name=f"{first} {last}", role=self.rng.choice(ROLES),
                    email=f"{last.lower()}.{position}@client{len(result)}.example",
                    phone=f"+7 9{self.rng.randint(10, 99)} {self.rng.randint(100, 999)}-"
                          f"{self.rng.randint(10, 99)}-{self.rng.randint(10, 99)}",
                    messenger=f"@{last.lower()}{self.rng.randint(1, 99)}",
                    influence=influence,
                ))
        return result

    def deals(self, clients: list[Client]) -> list[Deal]:
        result = []
        for client in clients:
            if client.status == "lead":
                count = self.rng.choice([0, 1])
            else:
                count = self.rng.choice([0, 1, 1, 2, 3])
            for _ in range(count):
                size = Decimal(int(self.rng.paretovariate(1.1) * 60_000) // 1000 * 1000)
                status = self.rng.choices(["won", "lost", "proposal", "negotiation"],
                                          [55, 15, 15, 15])[0]
                signed = paid = None
                if status == "won":
                    signed = self.today - timedelta(days=self.rng.randint(0, 360))
                    if self.rng.random() < 0.8:
                        paid = signed + timedelta(days=self.rng.randint(0, 30))
                        paid = min(paid, self.today)
                result.append(Deal(
                    **self.base(self.rng.uniform(1, 400)), client_id=client.id,
                    title=f"{self.rng.choice(['SEO', 'Контекст', 'SMM', 'Сайт', 'Аналитика'])}: "
                          f"{self.rng.choice(TOPICS)}",
                    amount=Money(amount=size, currency="RUB"), status=status,
                    owner_id=client.owner_id, signed_on=signed, paid_on=paid,
                ))
        return result

    def tasks(self, count: int, clients: list[Client], messages: list[Message]) -> list[Task]:
        working = [c for c in clients if c.status in ("active", "lead")] or clients
        result = []
        for index in range(count):
            client = self.rng.choice(working)
            department = self.rng.choice(self.departments)
            title = self.rng.choice(TASKS[department]).format(topic=self.rng.choice(TOPICS))
            column = self.rng.choices(self.columns, [15, 20, 20, 10, 10, 25][:len(self.columns)]
                                      + [10] * max(0, len(self.columns) - 6))[0]
            done = column == self.columns[-1]
            due = self.today + timedelta(days=self.rng.randint(-25 if done else -6, 21))
            blocked = not done and self.rng.random() < 0.08
            items = [ChecklistItem(text=text, done=self.rng.random() < 0.5)
                     for text in self.rng.sample(CHECKLIST, self.rng.randint(0, 3))]
            created = self.rng.uniform(2, 60)
            result.append(Task(
                **self.base(created), title=title, client_id=client.id, department=department,
                description=f"Клиент: {client.name}. Согласовать результат до {due:%d.%m}.",
                assignee=self.rng.choice(["Лена (копирайтер)", "Stas, SEO", "Вика, дизайн",
                                          "Артём, разработка", "Kate, PPC", "Гоша, аналитик"]),
                column=column, position=float(index), due=due,
                priority=self.rng.choices(["low", "normal", "high", "urgent"], [15, 60, 20, 5])[0],
                checklist=items, blocked_by_client=blocked,
                blocked_since=self.stamp(self.rng.uniform(1, 12)) if blocked else None,
                estimate_hours=Decimal(self.rng.choice([1, 2, 4, 8, 16])),
                done_at=self.stamp(self.rng.uniform(0, created)) if done else None,
                message_id=(self.rng.choice(messages).id
                            if messages and self.rng.random() < 0.1 else None),
            ))
        return result

    def messages(self, count: int, clients: list[Client], contacts: list[Contact],
                 members: list[Member]) -> list[Message]:
        by_client: dict[str, list[Contact]] = {}
        for contact in contacts:
            by_client.setdefault(contact.client_id, []).append(contact)
        working = [c for c in clients if c.status in ("active", "lead")] or clients
        result = []
        for _ in range(count):
            client = self.rng.choice(working)
            kind = self.rng.choices(list(MESSAGES), [35, 30, 10, 15, 10])[0]
            status = self.rng.choices(["new", "waiting_on_us", "waiting_on_client", "done"],
                                      [10, 20, 15, 55])[0]
            if status in ("new", "waiting_on_us"):
                # mostly fresh, a few left too long: those are the late answers
                days_ago = self.rng.uniform(0.02, 0.5) if self.rng.random() < 0.75 else \
                    self.rng.uniform(0.5, 4)
            else:
                days_ago = self.rng.uniform(0.1, 25)
            received = self.stamp(days_ago)
            people = by_client.get(client.id, [])
            contact_id = self.rng.choice(people).id if people else None
            priority = "urgent" if kind == "complaint" else self.rng.choice(["normal", "high"])
            text = self.rng.choice(MESSAGES[kind]).format(topic=self.rng.choice(TOPICS))
            result.append(Message(
                **self.base((self.now - received).total_seconds() / 86400),
                client_id=client.id, contact_id=contact_id,
                channel=client.preferred_channel, kind=kind, status=status,
                priority=priority, text=text, received_at=received,
                answer_by=add_working_hours(
                    received, answer_hours({"text": text, "priority": priority}, self.settings),
                    client.working_hours, client.timezone, WorkingDays.of(self.settings)),
                assignee_id=client.owner_id,
            ))
        return result

    def notes(self, count: int, clients: list[Client], members: list[Member]) -> list[Note]:
        result = []
        for _ in range(count):
            client = self.rng.choice(clients)
            kind = self.rng.choices(list(NOTE_BODIES), [35, 20, 15, 15, 15])[0]
            topic = self.rng.choice(TOPICS)
            titles = {"meeting": f"Встреча {client.name}", "brief": f"Бриф: {topic}",
                      "spec": f"ТЗ: {topic}", "knowledge": f"Brand book notes — {client.name}",
                      "report": f"Отчёт: {client.name}"}
            result.append(Note(
                **self.base(self.rng.uniform(0, 200)), title=titles[kind], kind=kind,
                body=NOTE_BODIES[kind].format(topic=topic, person=" ".join(self.person()),
                                              member=self.rng.choice(members).name),
                client_id=client.id, pinned=self.rng.random() < 0.05,
                tags=self.rng.sample(["seo", "smm", "ppc", "design", "важное"],
                                     self.rng.randint(0, 2)),
            ))
        return result


def fill_demo(workspace: Workspace, size: str = "small", seed: int = 1,
              progress: Callable[[str], None] | None = None) -> DemoCounts:
    """Fill an empty workspace with demo data; returns how many records of each kind."""
    plan = SIZES[size]
    settings = workspace.settings
    builder = DemoBuilder(seed, workspace.clock().astimezone(UTC), settings.departments,
                          settings.columns, settings)
    say = progress or (lambda _text: None)
    counts = DemoCounts()

    def store(records: list[Record], label: str) -> None:
        say(f"writing {len(records):,} {label}")
        if records:
            workspace.repo(type(records[0])).add_many(records, keep_timestamps=True)
        setattr(counts, label, len(records))

    members = builder.members(plan["members"])
    store(members, "members")
    clients = builder.clients(plan["clients"], members)
    store(clients, "clients")
    contacts = builder.contacts(clients)
    store(contacts, "contacts")
    store(builder.deals(clients), "deals")
    messages = builder.messages(plan["messages"], clients, contacts, members)
    store(messages, "messages")
    store(builder.tasks(plan["tasks"], clients, messages), "tasks")
    store(builder.notes(plan["notes"], clients, members), "notes")
    return counts
