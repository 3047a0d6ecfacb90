"""Realistic sample data for the demo sandbox, generated in memory (no database here).

Deterministic: the same seed, `now` and timezone give the same data. Everything is placed
relative to `now` in the manager's timezone, so a newcomer always sees a living base: touches
over the last six months with some clients overdue, open promises due around today, birthdays
in the coming weeks, sales over the last twelve months (growing for some clients, falling for
the ones at risk) and a month plan that is under way but not yet made.

Amounts are whole roubles stored as kopecks (minor units), like every amount in the bot.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from bot.services.kpi.periods import Period, WorkCalendar, period_of, working_days
from bot.services.parsing.taxid import is_valid_inn
from storage.enums import Channel, ClientStatus, Outcome, PeriodKind, Segment, Tier

DEFAULT_SEED = 2026
KOPECKS = 100
HISTORY_TOUCH_DAYS = 182
HISTORY_SALE_MONTHS = 12
REQUEST_DAYS = 60


# --- what the generator returns -------------------------------------------------------------
@dataclass(slots=True)
class DemoContact:
    name: str
    role: str
    phone: str | None
    email: str | None
    birth_day: int | None
    birth_month: int | None
    birth_year: int | None


@dataclass(slots=True)
class DemoNote:
    contact: int | None  # index into the client's contacts; None: a note on the client
    text: str
    tags: list[str]
    created_at: datetime


@dataclass(slots=True)
class DemoTouch:
    contact: int | None
    kind: Channel
    occurred_at: datetime
    outcome: Outcome | None
    summary: str
    next_step: str | None = None
    next_step_due_at: datetime | None = None
    next_step_has_time: bool = False
    next_step_done_at: datetime | None = None


@dataclass(slots=True)
class DemoSale:
    amount_minor: int
    product_line: str
    sold_at: datetime


@dataclass(slots=True)
class DemoReview:
    is_positive: bool
    text: str
    created_at: datetime


@dataclass(slots=True)
class DemoRequest:
    text: str
    opened_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    feedback: str | None = None
    review: DemoReview | None = None


@dataclass(slots=True)
class DemoPlan:
    kind: PeriodKind
    start: date
    amount_minor: int


@dataclass(slots=True)
class DemoClient:
    name: str
    segment: Segment
    tier: Tier
    status: ClientStatus
    cadence_days: int | None
    preferred_channel: Channel | None
    tax_id: str | None
    phone: str | None
    tags: list[str]
    created_at: datetime
    contacts: list[DemoContact] = field(default_factory=list)
    notes: list[DemoNote] = field(default_factory=list)
    touches: list[DemoTouch] = field(default_factory=list)
    sales: list[DemoSale] = field(default_factory=list)
    requests: list[DemoRequest] = field(default_factory=list)
    reviews: list[DemoReview] = field(default_factory=list)  # not tied to a request
    plans: list[DemoPlan] = field(default_factory=list)  # per-client plans of key accounts

    @property
    def last_touch_at(self) -> datetime | None:
        return max((t.occurred_at for t in self.touches), default=None)


@dataclass(slots=True)
class DemoData:
    clients: list[DemoClient]
    plans: list[DemoPlan]  # the manager's own plans (client_id NULL)
    month_attainment: float  # what the generator aimed the current month at, for the tour


# --- the catalogue: who the clients are -----------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Profile:
    name: str
    domain: str
    segment: Segment
    tier: Tier
    trend: str  # grow | flat | fall | new_line | none
    monthly: int  # typical monthly purchases, roubles
    lines: tuple[str, ...]
    tags: tuple[str, ...]
    roles: tuple[str, ...]
    overdue: bool = False
    cadence: int | None = None
    status: ClientStatus = ClientStatus.ACTIVE
    person: str | None = None  # an ИП or a private customer: the contact is this very person


_B2B_ROLES = ("генеральный директор", "менеджер по закупкам", "главный инженер")
PROFILES: tuple[_Profile, ...] = (
    # Key accounts: a large share of the turnover, a weekly rhythm.
    _Profile("ООО «СеверЭнергоМонтаж»", "sevenergo.ru", Segment.B2B, Tier.KEY, "grow", 1_150_000,
             ("кабель", "щиты", "монтаж"), ("энергетика", "vip", "москва"),
             ("генеральный директор", "главный энергетик", "руководитель отдела снабжения")),
    _Profile("АО «Уралстройинвест»", "uralsi.ru", Segment.B2B, Tier.KEY, "flat", 1_400_000,
             ("кабель", "светильники", "щиты"), ("стройка", "vip", "регионы"),
             ("технический директор", "менеджер по закупкам", "главный инженер")),
    _Profile("ООО «ГородСтрой Девелопмент»", "gorodstroy-dev.ru", Segment.B2B, Tier.KEY, "grow",
             950_000, ("светильники", "кабель", "автоматика"), ("стройка", "vip", "москва"),
             ("директор по строительству", "снабженец", "главный инженер проекта")),
    _Profile("ООО «Волга-Логистик»", "volga-log.ru", Segment.B2B, Tier.KEY, "fall", 800_000,
             ("светильники", "щиты", "монтаж"), ("склады", "vip", "регионы"),
             ("генеральный директор", "главный инженер"), overdue=True),
    # Regular B2B: the farmer's everyday base.
    _Profile("ООО «Альфа-Электро»", "alfa-electro.ru", Segment.B2B, Tier.REGULAR, "grow", 320_000,
             ("кабель", "автоматика"), ("опт", "москва"), ("директор", "менеджер по закупкам")),
    _Profile("ООО «СтройМастер»", "stroymaster.ru", Segment.B2B, Tier.REGULAR, "flat", 260_000,
             ("кабель", "щиты"), ("стройка",), ("прораб", "снабженец")),
    _Profile("ИП Кузнецов Андрей Викторович", "kuznetsov-electro.ru", Segment.B2B, Tier.REGULAR,
             "flat", 90_000, ("кабель", "автоматика"), ("монтажники",), ("владелец",),
             person="Кузнецов Андрей Викторович"),
    _Profile("ООО «Тёплый Дом»", "teply-dom.ru", Segment.B2B, Tier.REGULAR, "new_line", 210_000,
             ("кабель", "тёплый пол"), ("стройка", "коттеджи"),
             ("генеральный директор", "главный инженер")),
    _Profile("ООО «АгроХолдинг Черноземье»", "agro-chz.ru", Segment.B2B, Tier.REGULAR, "fall",
             380_000, ("кабель", "светильники"), ("агро", "регионы"),
             ("главный энергетик", "руководитель отдела снабжения"), overdue=True),
    _Profile("ООО «МедТехСервис»", "medtechservice.ru", Segment.B2B, Tier.REGULAR, "flat", 150_000,
             ("светильники", "ИБП"), ("медицина",), ("заместитель директора", "главный инженер")),
    _Profile("ООО «Ресторанный двор»", "rdvor.ru", Segment.B2B, Tier.REGULAR, "flat", 60_000,
             ("светильники",), ("horeca", "сезонный"), ("управляющий",),
             status=ClientStatus.PAUSED),
    _Profile("ООО «ЛогистикПро»", "logisticpro.ru", Segment.B2B, Tier.REGULAR, "grow", 240_000,
             ("светильники", "щиты"), ("склады", "москва"),
             ("директор по эксплуатации", "менеджер по закупкам")),
    _Profile("ООО «ПромВентиляция»", "promvent.ru", Segment.B2B, Tier.REGULAR, "flat", 180_000,
             ("кабель", "автоматика"), ("производство",), ("технический директор", "снабженец")),
    _Profile("АНО «Школа будущего»", "school-future.ru", Segment.B2B, Tier.REGULAR, "new_line",
             70_000, ("светильники", "монтаж"), ("образование",),
             ("директор", "заместитель по АХЧ")),
    _Profile("ООО «ФармаЛайн»", "pharmaline.ru", Segment.B2B, Tier.REGULAR, "new_line", 130_000,
             ("светильники", "ИБП"), ("розница", "регионы"), ("руководитель отдела снабжения",)),
    _Profile("АО «Калужский завод металлоконструкций»", "kzmk.ru", Segment.B2B, Tier.REGULAR,
             "flat", 420_000, ("кабель", "щиты", "автоматика"), ("производство", "регионы"),
             ("главный энергетик", "менеджер по закупкам", "финансовый директор"), cadence=14),
    _Profile("ООО «Эко-Ферма Зелёный луг»", "zeleny-lug.ru", Segment.B2B, Tier.REGULAR, "flat",
             55_000, ("кабель",), ("агро",), ("владелец хозяйства",)),
    _Profile("ООО «Гостиница Северная»", "hotel-severnaya.ru", Segment.B2B, Tier.REGULAR, "fall",
             110_000, ("светильники", "монтаж"), ("horeca",), ("управляющий", "главный инженер"),
             overdue=True),
    _Profile("ООО «ДорСтройСервис»", "dorstroy.ru", Segment.B2B, Tier.REGULAR, "flat", 270_000,
             ("кабель", "светильники"), ("стройка", "дороги"), ("начальник участка", "снабженец")),
    _Profile("ИП Соколова Марина Игоревна", "sokolova-design.ru", Segment.B2B, Tier.REGULAR,
             "grow", 65_000, ("светильники",), ("дизайн", "москва"), ("владелица студии",),
             person="Соколова Марина Игоревна"),
    # B2C: requests, response times and reviews.
    _Profile("ИП Морозов Дмитрий Сергеевич", "morozov-auto.ru", Segment.B2C, Tier.REGULAR, "flat",
             35_000, ("светильники", "монтаж"), ("автосервис",), ("владелец",),
             person="Морозов Дмитрий Сергеевич"),
    _Profile("Смирнов Алексей Петрович", "", Segment.B2C, Tier.REGULAR, "none", 0,
             ("монтаж",), ("частный", "коттедж"), ("заказчик",),
             person="Смирнов Алексей Петрович"),
    _Profile("ТСЖ «Уютный дом»", "uyutny-dom.ru", Segment.B2C, Tier.REGULAR, "flat", 45_000,
             ("светильники", "монтаж"), ("тсж",), ("председатель правления",)),
    _Profile("Васильева Екатерина Андреевна", "", Segment.B2C, Tier.REGULAR, "none", 0,
             ("монтаж",), ("частный",), ("заказчица",), person="Васильева Екатерина Андреевна"),
    _Profile("ИП Новиков Павел Олегович", "svetlyachok-shop.ru", Segment.B2C, Tier.REGULAR,
             "flat", 40_000, ("светильники",), ("розница",), ("владелец магазина «Светлячок»",),
             person="Новиков Павел Олегович"),
)  # fmt: skip

_MEN = ("Алексей", "Андрей", "Дмитрий", "Сергей", "Игорь", "Михаил", "Владимир", "Николай",
        "Павел", "Олег", "Виктор", "Евгений", "Роман", "Константин", "Артём", "Юрий")  # fmt: skip
_WOMEN = ("Елена", "Ольга", "Наталья", "Ирина", "Татьяна", "Светлана", "Марина", "Анна",
          "Юлия", "Екатерина", "Людмила", "Галина")  # fmt: skip
# Patronymics (male, female) from the fathers' names.
_PATRONYMICS = (("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"),
                ("Владимирович", "Владимировна"), ("Николаевич", "Николаевна"),
                ("Иванович", "Ивановна"), ("Петрович", "Петровна"), ("Михайлович", "Михайловна"),
                ("Викторович", "Викторовна"), ("Юрьевич", "Юрьевна"),
                ("Анатольевич", "Анатольевна"), ("Геннадьевич", "Геннадьевна"),
                ("Борисович", "Борисовна"))  # fmt: skip
_SURNAMES = ("Иванов", "Петров", "Смирнов", "Волков", "Соколов", "Лебедев", "Козлов", "Новиков",
             "Морозов", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов", "Воробьёв",
             "Фёдоров", "Михайлов", "Беляев", "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв",
             "Макаров", "Андреев", "Ковалёв", "Ильин", "Гусев", "Титов", "Кузьмин")  # fmt: skip
_FEMALE_ROLES = {"владелица студии", "заказчица"}

_NOTES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Сын сдаёт ЕГЭ в июне, целится в Бауманку — спросить, как сдал #семья", ("семья",)),
    ("Дочь поступила на журфак МГУ, очень гордится #семья", ("семья",)),
    ("Двое детей, младший пошёл в первый класс #семья", ("семья",)),
    ("Собака — бордер-колли Джек, 2-е место на выставке в Твери #питомец", ("питомец",)),
    ("Кот мейн-кун, любит показывать фото #питомец", ("питомец",)),
    ("Отпуск в июле на Алтае, с палатками — до 25-го не беспокоить #отпуск", ("отпуск",)),
    ("Каждый сентябрь летает в Турцию, в это время решения не принимает #отпуск", ("отпуск",)),
    ("Заядлый рыбак, ездит на Ахтубу — можно подарить воблер #хобби", ("хобби",)),
    ("Играет в хоккей по четвергам в любительской лиге #хобби #спорт", ("хобби", "спорт")),
    ("Болеет за «Спартак», про ЦСКА не шутить #спорт", ("спорт",)),
    ("Бегает полумарафоны, готовится к Московскому #спорт", ("спорт",)),
    ("Не пьёт кофе, только зелёный чай — на встречу взять чай #привычки", ("привычки",)),
    ("Предпочитает WhatsApp, звонки только после 11:00 #связь", ("связь",)),
    ("Коллекционирует виниловые пластинки, рок 70-х #хобби", ("хобби",)),
    ("Строит дачу под Истрой, интересовался уличными светильниками #дача", ("дача",)),
    ("Решения согласует с финдиректором — КП слать обоим #процесс", ("процесс",)),
    ("Любит точность: КП с расчётом по позициям, без округлений #процесс", ("процесс",)),
    ("Жена — врач-педиатр; дочь занимается фигурным катанием #семья", ("семья",)),
)
_CLIENT_NOTES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Тендер на освещение нового склада во II квартале — готовить предложение #тендер",
     ("тендер",)),
    ("Платят с отсрочкой 30 дней, всегда вовремя #оплата", ("оплата",)),
    ("Конкурент предлагал кабель на 7% дешевле — держим за счёт сроков поставки #конкуренты",
     ("конкуренты",)),
    ("Новый объект в Подольске, старт монтажа весной #объект", ("объект",)),
)  # fmt: skip

_SUMMARIES: dict[Channel, tuple[str, ...]] = {
    Channel.CALL: (
        "Обсудили поставку кабеля ВВГнг на объект",
        "Уточнили сроки по щитам, всё в графике",
        "Спросил про остатки светильников на складе",
        "Обсудили скидку на годовой объём",
        "Напомнил про оплату счёта",
        "Звонок по рекламации, разобрались",
        "Обсудили новый объект, ждут смету",
    ),
    Channel.MESSAGE: (
        "Переписка в WhatsApp: уточнили адрес доставки",
        "Отправил фото образцов светильников",
        "Согласовали время отгрузки",
    ),
    Channel.EMAIL: (
        "Отправил КП по щитам учёта",
        "Выслал прайс на кабель и акт сверки",
        "Отправил спецификацию на автоматику",
    ),
    Channel.MEETING: (
        "Встреча в офисе: планы на следующий квартал",
        "Презентация новой линейки светильников",
        "Переговоры по годовому договору",
    ),
    Channel.VISIT: (
        "Выезд на объект, посмотрели трассы под кабель",
        "Визит на склад клиента, замеры под освещение",
    ),
}
_NEXT_STEPS = (
    "Отправить КП",
    "Перезвонить по смете",
    "Выслать счёт",
    "Согласовать график поставки",
    "Подготовить спецификацию",
    "Уточнить остатки на складе",
    "Встретиться на объекте",
)
_REQUESTS = (
    "Не включается автомат в щите после монтажа",
    "Мигает освещение в холле",
    "Нужен счёт-фактура за прошлый месяц",
    "Задерживается доставка светильников",
    "Уточнить гарантию на кабель",
    "Нужен выезд электрика, искрит розетка",
    "Вернуть бракованный светильник",
    "Поменять время доставки на субботу",
    "Перевыставить счёт на другое юрлицо",
)
_GOOD_REVIEWS = (
    "Быстро приехали и всё починили, спасибо!",
    "Менеджер на связи, всё объяснил",
    "Доставили точно в срок",
    "Отличный сервис, будем заказывать ещё",
)
_BAD_REVIEWS = (
    "Ждали доставку неделю, никто не предупредил",
    "Электрик опоздал на три часа",
    "Привезли не тот светильник, пришлось ждать замену",
)


# --- small helpers --------------------------------------------------------------------------
def _at(day: date, hour: int, minute: int, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


def _workday_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _workday_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _office_time(rng: random.Random, day: date, tz: ZoneInfo) -> datetime:
    return _at(day, rng.randint(9, 18), rng.choice((0, 10, 15, 20, 30, 40, 45, 50)), tz)


def _roubles(amount: float, step: int = 100) -> int:
    """Whole roubles, rounded to `step`, at least one step; returned as kopecks."""
    return max(step, round(amount / step) * step) * KOPECKS


def _inn(rng: random.Random, length: int) -> str:
    """A made-up INN with valid control digits: 10 digits for a company, 12 for an ИП."""
    checks = 1 if length == 10 else 2
    while True:
        body = f"{rng.choice((50, 52, 66, 71, 77, 78))}" + "".join(
            str(rng.randint(0, 9)) for _ in range(length - 2 - checks)
        )
        for tail in range(10**checks):
            candidate = body + (str(tail) if length == 10 else f"{tail:02d}")
            if is_valid_inn(candidate):
                return candidate


def _phone(rng: random.Random) -> str:
    return (
        f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-"
        f"{rng.randint(10, 99)}-{rng.randint(10, 99)}"
    )


_LATIN = str.maketrans(
    {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
     "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
     "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
     "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"}
)  # fmt: skip


def _person(rng: random.Random, female: bool) -> str:
    surname = rng.choice(_SURNAMES)
    male_patronymic, female_patronymic = rng.choice(_PATRONYMICS)
    if female:
        return f"{surname}а {rng.choice(_WOMEN)} {female_patronymic}"
    return f"{surname} {rng.choice(_MEN)} {male_patronymic}"


# --- the generator --------------------------------------------------------------------------
class _Generator:
    def __init__(
        self, now: datetime, timezone: str, cadence_key: int, cadence_regular: int, seed: int
    ) -> None:
        self.rng = random.Random(seed)
        self.now = now.astimezone(UTC)
        self.tz = ZoneInfo(timezone)
        self.today = self.now.astimezone(self.tz).date()
        # Monday to Friday: the country's holiday calendar costs ~0.5 s to load the first time
        # and would change only where in the month the sample's sales fall.
        self.calendar = WorkCalendar(None)
        self.cadence_key = cadence_key
        self.cadence_regular = cadence_regular
        self.birthdays_soon = 0

    def _past(self, moment: datetime) -> datetime:
        """Never in the future: a generated moment later than now is pulled back before it."""
        if moment < self.now:
            return moment
        return self.now - timedelta(minutes=self.rng.randint(5, 90))

    def contact(self, profile: _Profile, role: str) -> DemoContact:
        rng = self.rng
        if profile.person is not None and role == profile.roles[0]:
            name = profile.person
        else:
            name = _person(rng, female=role in _FEMALE_ROLES or rng.random() < 0.35)
        # A few birthdays within the next month, so /birthdays and the digest have something.
        if self.birthdays_soon < 6 and rng.random() < 0.3:
            born = self.today + timedelta(days=rng.choice((0, 1, 2, 4, 6, 9, 13, 17, 22, 27)))
            self.birthdays_soon += 1
        else:
            born = date(2001, 1, 1) + timedelta(days=rng.randint(0, 364))
        if (born.month, born.day) == (2, 29):
            born = born.replace(day=28)
        year = rng.randint(1964, 1993) if rng.random() < 0.6 else None
        surname, first = (part.lower().translate(_LATIN) for part in name.split()[:2])
        email = None
        if profile.domain and rng.random() < 0.7:
            email = f"{first[0]}.{surname}@{profile.domain}"
        return DemoContact(name, role, _phone(rng), email, born.day, born.month, year)

    def client(self, profile: _Profile) -> DemoClient:
        rng = self.rng
        is_org = profile.person is None or profile.name.startswith("ИП")
        tax_id = None
        if is_org and rng.random() < 0.85:
            tax_id = _inn(rng, 12 if profile.name.startswith("ИП") else 10)
        client = DemoClient(
            name=profile.name,
            segment=profile.segment,
            tier=profile.tier,
            status=profile.status,
            cadence_days=profile.cadence,
            preferred_channel=rng.choice((Channel.CALL, Channel.MESSAGE, Channel.EMAIL, None)),
            tax_id=tax_id,
            phone=_phone(rng) if rng.random() < 0.8 else None,
            tags=list(profile.tags),
            created_at=self.now - timedelta(days=rng.randint(400, 720), hours=rng.randint(0, 9)),
        )
        count = min(len(profile.roles), 1 + rng.randint(0, 2))
        client.contacts = [self.contact(profile, role) for role in profile.roles[:count]]
        self.notes(client)
        self.touches(client, profile)
        return client

    def notes(self, client: DemoClient) -> None:
        rng = self.rng
        for index in range(len(client.contacts)):
            for text, tags in rng.sample(_NOTES, k=rng.choice((0, 1, 1, 2))):
                created = self.now - timedelta(days=rng.randint(3, 170), hours=rng.randint(0, 8))
                client.notes.append(DemoNote(index, text, list(tags), created))
        if client.tier == Tier.KEY or rng.random() < 0.2:
            text, tags = rng.choice(_CLIENT_NOTES)
            created = self.now - timedelta(days=rng.randint(5, 90))
            client.notes.append(DemoNote(None, text, list(tags), created))

    def cadence(self, client: DemoClient) -> int:
        if client.cadence_days:
            return client.cadence_days
        return self.cadence_key if client.tier == Tier.KEY else self.cadence_regular

    def touches(self, client: DemoClient, profile: _Profile) -> None:
        rng = self.rng
        cadence = self.cadence(client)
        if profile.overdue:
            ago = cadence + rng.randint(4, 21)
        elif client.status == ClientStatus.PAUSED:
            ago = rng.randint(45, 80)
        else:
            ago = rng.randint(1, max(1, cadence - 2))
        weights = (45, 20, 15, 10, 10) if client.tier == Tier.REGULAR else (35, 20, 10, 20, 15)
        kinds = list(_SUMMARIES)
        while ago <= HISTORY_TOUCH_DAYS:
            day = _workday_before(self.today - timedelta(days=ago))
            kind = rng.choices(kinds, weights=weights)[0]
            outcome = rng.choices(
                (Outcome.POSITIVE, Outcome.NEUTRAL, Outcome.NEGATIVE, None), (40, 40, 10, 10)
            )[0]
            contact = rng.randrange(len(client.contacts)) if client.contacts else None
            touch = DemoTouch(
                contact,
                kind,
                self._past(_office_time(rng, day, self.tz)),
                outcome,
                rng.choice(_SUMMARIES[kind]),
            )
            if rng.random() < 0.3:
                due_day = _workday_after(day + timedelta(days=rng.randint(2, 8)))
                touch.next_step = rng.choice(_NEXT_STEPS)
                touch.next_step_due_at = _at(due_day, 0, 0, self.tz)
                # Kept promises: done on or a little before the due day.
                done = _office_time(rng, due_day - timedelta(days=rng.randint(0, 1)), self.tz)
                touch.next_step_done_at = self._past(max(done, touch.occurred_at))
            client.touches.append(touch)
            ago += max(2, round(cadence * rng.uniform(0.55, 1.15)))
        client.touches.sort(key=lambda t: t.occurred_at)

    def open_promises(self, clients: list[DemoClient]) -> None:
        """A few promises still open: one overdue, one due today, the rest in the coming days."""
        offsets = (-2, 0, 1, 3, 6)
        active = [c for c in clients if c.touches and c.status == ClientStatus.ACTIVE]
        for offset, client in zip(offsets, self.rng.sample(active, k=len(offsets)), strict=True):
            touch = client.touches[-1]
            due_day = max(self.today + timedelta(days=offset), touch.occurred_at.date())
            touch.next_step = self.rng.choice(_NEXT_STEPS)
            if offset == 0:
                touch.next_step_due_at = _at(due_day, 15, 0, self.tz)
                touch.next_step_has_time = True
            else:
                touch.next_step_due_at = _at(due_day, 0, 0, self.tz)
                touch.next_step_has_time = False
            touch.next_step_done_at = None

    # --- sales and plans ------------------------------------------------------------------
    def _factor(self, trend: str, month_index: int) -> float:
        """month_index 0 is eleven months ago, 11 the current month."""
        if trend == "grow":
            return 0.7 + 0.55 * month_index / 11
        if trend == "fall":
            # The average check drops by ~45% over the last three months: "at risk".
            return 1.05 if month_index < 8 else 0.55
        return 1.0

    _DEALS: ClassVar[dict[str, tuple[tuple[int, ...], tuple[int, ...]]]] = {
        # Orders a month and their odds: the volume varies with the number of orders.
        "key": ((2, 3, 4), (30, 45, 25)),
        "regular": ((0, 1, 2, 3), (20, 45, 25, 10)),
        "b2c": ((0, 1), (65, 35)),
    }

    def _kind(self, profile: _Profile) -> str:
        if profile.tier == Tier.KEY:
            return "key"
        return "b2c" if profile.segment == Segment.B2C else "regular"

    def _deal_count(self, profile: _Profile) -> int:
        counts, odds = self._DEALS[self._kind(profile)]
        return self.rng.choices(counts, odds)[0]

    def _check(self, profile: _Profile, month_index: int) -> int:
        """One order, in kopecks: each client has a typical check, moved by its trend."""
        counts, odds = self._DEALS[self._kind(profile)]
        expected = sum(c * o for c, o in zip(counts, odds, strict=True)) / sum(odds)
        typical = profile.monthly / expected
        return _roubles(
            typical * self._factor(profile.trend, month_index) * self.rng.uniform(0.8, 1.2)
        )

    def _moment_in(self, start: date, end: date) -> datetime:
        """A working moment in [start, end) local days, before now."""
        days = (end - start).days
        day = _workday_before(start + timedelta(days=self.rng.randrange(days)))
        if day < start:
            day = _workday_after(start)
        return self._past(_office_time(self.rng, min(day, self.today), self.tz))

    def _this_month(self, month: Period) -> datetime:
        """A moment of this month before now (also in the first minutes of the month)."""
        moment = _office_time(self.rng, self.rng.choice(self._days_so_far(month)), self.tz)
        if moment < self.now:
            return moment
        start = _at(month.start, 0, 0, self.tz)
        return start + (self.now - start) * self.rng.uniform(0.1, 0.9)

    def _days_so_far(self, month: Period) -> list[date]:
        days = [month.start + timedelta(days=n) for n in range((self.today - month.start).days + 1)]
        return [d for d in days if self.calendar.is_working(d)] or days

    def past_sales(self, clients: list[DemoClient], profiles: tuple[_Profile, ...]) -> list[int]:
        """Sales of the eleven full months before this one; returns each month's total."""
        current = period_of(PeriodKind.MONTH, self.today)
        months: list[Period] = []
        period = current
        for _ in range(HISTORY_SALE_MONTHS - 1):
            period = period_of(PeriodKind.MONTH, period.start - timedelta(days=1))
            months.insert(0, period)
        totals = [0] * len(months)
        for client, profile in zip(clients, profiles, strict=True):
            if profile.monthly <= 0:
                continue
            # A "new line" client buys its last line for the first time this month.
            lines = profile.lines[:-1] if profile.trend == "new_line" else profile.lines
            for index, month in enumerate(months):
                for _ in range(self._deal_count(profile)):
                    amount = self._check(profile, index)
                    moment = self._moment_in(month.start, month.end)
                    client.sales.append(DemoSale(amount, self.rng.choice(lines), moment))
                    totals[index] += amount
        return totals

    def current_month(
        self, clients: list[DemoClient], profiles: tuple[_Profile, ...], plan_minor: int
    ) -> float:
        """This month's sales so far: a believable share of the plan for where we are in it."""
        rng = self.rng
        month = period_of(PeriodKind.MONTH, self.today)
        wd = working_days(month, self.today, self.calendar)
        share = wd.elapsed / wd.total if wd.total else 1.0
        # ~40% at the start of the month, ~65% near its end: under way, not yet made.
        target = 0.42 + 0.23 * share + rng.uniform(-0.02, 0.02)
        goal = plan_minor / KOPECKS * target  # roubles
        buyers = [
            (c, p)
            for c, p in zip(clients, profiles, strict=True)
            if p.monthly > 0 and c.status == ClientStatus.ACTIVE
        ]
        # The orders of a whole month, of which the share that reaches the goal is kept; then
        # scaled a little so the month lands on the goal exactly.
        orders: list[tuple[DemoClient, str, int]] = []
        for client, profile in buyers:
            for _ in range(self._deal_count(profile)):
                orders.append((client, rng.choice(profile.lines), self._check(profile, 11)))
        full = sum(amount for _, _, amount in orders) / KOPECKS or goal
        kept = [o for o in orders if rng.random() < min(1.0, goal / full)]
        # New product lines sold to existing clients this month, for the KPI that counts them.
        for client, profile in buyers:
            if profile.trend == "new_line":
                kept.append((client, profile.lines[-1], self._check(profile, 11)))
        scale = goal * KOPECKS / sum(amount for _, _, amount in kept)
        amounts: list[int] = []
        for client, line, amount in kept:
            amounts.append(_roubles(amount / KOPECKS * scale))
            client.sales.append(DemoSale(amounts[-1], line, self._this_month(month)))
        return sum(amounts) / plan_minor

    def plans(self, past_totals: list[int]) -> tuple[list[DemoPlan], int]:
        recent = [t for t in past_totals[-3:] if t > 0] or [1_000_000 * KOPECKS]
        month_plan = _roubles(sum(recent) / len(recent) / KOPECKS * 1.08, 50_000)
        today = self.today
        return [
            DemoPlan(PeriodKind.MONTH, period_of(PeriodKind.MONTH, today).start, month_plan),
            DemoPlan(
                PeriodKind.QUARTER,
                period_of(PeriodKind.QUARTER, today).start,
                _roubles(month_plan / KOPECKS * 3, 100_000),
            ),
            DemoPlan(
                PeriodKind.YEAR,
                period_of(PeriodKind.YEAR, today).start,
                _roubles(month_plan / KOPECKS * 11.5, 500_000),
            ),
        ], month_plan

    def key_account_plans(self, clients: list[DemoClient], profiles: tuple[_Profile, ...]) -> None:
        for client, profile in zip(clients, profiles, strict=True):
            if profile.tier != Tier.KEY:
                continue
            monthly = profile.monthly * self._factor(profile.trend, 11) * 1.1
            client.plans = [
                DemoPlan(
                    PeriodKind.MONTH,
                    period_of(PeriodKind.MONTH, self.today).start,
                    _roubles(monthly, 10_000),
                ),
                DemoPlan(
                    PeriodKind.QUARTER,
                    period_of(PeriodKind.QUARTER, self.today).start,
                    _roubles(monthly * 3, 50_000),
                ),
            ]

    # --- B2C: requests and reviews --------------------------------------------------------
    def requests(self, clients: list[DemoClient]) -> None:
        rng = self.rng
        b2c = [c for c in clients if c.segment == Segment.B2C]
        texts = list(_REQUESTS)
        rng.shuffle(texts)
        for n in range(14):
            client = b2c[n % len(b2c)]
            day = _workday_before(self.today - timedelta(days=rng.randint(2, REQUEST_DAYS)))
            opened = self._past(_office_time(rng, day, self.tz))
            first = opened + timedelta(minutes=round(rng.lognormvariate(3.6, 0.9)))
            resolved = first + timedelta(minutes=round(rng.lognormvariate(6.3, 1.0)))
            request = DemoRequest(
                texts[n % len(texts)], opened, self._past(first), self._past(resolved)
            )
            if rng.random() < 0.6:
                at = self._past(resolved + timedelta(hours=rng.randint(1, 30)))
                request.review = DemoReview(True, rng.choice(_GOOD_REVIEWS), at)
                request.feedback = request.review.text
            client.requests.append(request)
        # Two still open: one waiting for a first answer for hours, one answered but unsolved.
        waiting = self.now - timedelta(hours=rng.randint(3, 6))
        client = b2c[0]
        client.requests.append(DemoRequest(texts[0], waiting, None, None))
        stuck = self.now - timedelta(days=2, hours=rng.randint(1, 5))
        client = b2c[2 % len(b2c)]
        client.requests.append(
            DemoRequest(texts[1], stuck, stuck + timedelta(minutes=rng.randint(10, 50)), None)
        )
        # Standalone reviews, one of them negative.
        for client, positive in ((b2c[1 % len(b2c)], True), (b2c[3 % len(b2c)], False)):
            pool = _GOOD_REVIEWS if positive else _BAD_REVIEWS
            at = self.now - timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 6))
            client.reviews.append(DemoReview(positive, rng.choice(pool), at))
        # A few negative reviews in all (two after requests, one standalone), never most.
        reviewed = [r for c in b2c for r in c.requests if r.review is not None]
        for request in rng.sample(reviewed, k=min(2, len(reviewed))):
            assert request.review is not None
            request.review.is_positive = False
            request.review.text = request.feedback = rng.choice(_BAD_REVIEWS)

    def run(self) -> DemoData:
        clients = [self.client(profile) for profile in PROFILES]
        self.open_promises(clients)
        totals = self.past_sales(clients, PROFILES)
        plans, month_plan = self.plans(totals)
        attainment = self.current_month(clients, PROFILES, month_plan)
        self.key_account_plans(clients, PROFILES)
        self.requests(clients)
        for client in clients:
            client.sales.sort(key=lambda s: s.sold_at)
        return DemoData(clients, plans, attainment)


def generate(
    now: datetime,
    timezone: str,
    *,
    cadence_key_days: int = 7,
    cadence_regular_days: int = 30,
    seed: int = DEFAULT_SEED,
) -> DemoData:
    """The whole sample base for `now` in `timezone`; same arguments, same data."""
    return _Generator(now, timezone, cadence_key_days, cadence_regular_days, seed).run()
