"""Fixed material of the demo database: offices, campaigns, call results, texts.

Everything here is plain data; `storage.demo_people` and `storage.demo` draw from it with a seeded
`random.Random`, so the same seed gives the same database.
"""

from __future__ import annotations

from datetime import UTC, datetime

# The instant the demo is built "at" unless the caller passes another: history lies before it,
# office slots and call-backs around it. A constant, so that a seed alone fixes the data:
# Monday 2 November 2026, 10:00 in Moscow.
DEMO_NOW = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)

MAIN_DESK = "Основная группа"  # the demo renames the default desk: a Russian bank's data
SECOND_DESK = "Группа удержания"

# Region -> hours ahead of UTC (Russia keeps no summer time since 2014).
REGION_UTC_OFFSET: dict[str, int] = {
    "Москва": 3,
    "Московская область": 3,
    "Санкт-Петербург": 3,
    "Ленинградская область": 3,
    "Костромская область": 3,
    "Свердловская область": 5,
    "Новосибирская область": 7,
    "Республика Татарстан": 3,
    "Нижегородская область": 3,
    "Самарская область": 4,
    "Краснодарский край": 3,
    "Ростовская область": 3,
    "Воронежская область": 3,
    "Омская область": 6,
    "Челябинская область": 5,
    "Ярославская область": 3,
}

# The offices' own time zones (their visiting times are local); regions not named: Moscow time.
REGION_TIMEZONE: dict[str, str] = {
    "Свердловская область": "Asia/Yekaterinburg",
    "Челябинская область": "Asia/Yekaterinburg",
    "Новосибирская область": "Asia/Novosibirsk",
    "Омская область": "Asia/Omsk",
    "Самарская область": "Europe/Samara",
}

# Landline area codes (the local number fills the rest of the 10 national digits).
AREA_CODES: dict[str, list[str]] = {
    "Москва": ["495", "499"],
    "Московская область": ["496"],
    "Санкт-Петербург": ["812"],
    "Свердловская область": ["343"],
    "Новосибирская область": ["383"],
    "Республика Татарстан": ["843"],
    "Нижегородская область": ["831"],
    "Самарская область": ["846"],
    "Краснодарский край": ["861"],
    "Ростовская область": ["863"],
    "Воронежская область": ["473"],
    "Омская область": ["3812"],
    "Челябинская область": ["351"],
    "Ярославская область": ["4852"],
    "Костромская область": ["4942"],
}

# Mobile operator codes "+7 9xx"; 930 holds invalid ranges and is left out.
MOBILE_CODES: list[int] = [c for c in range(900, 1000) if c != 930]

# (code, town, name, address, keywords); the region comes from the town.
OFFICES: list[tuple[str, str, str, str, str]] = [
    ("MSK-01", "Москва", "Офис «Тверская»", "ул. Тверская, д. 22",
     "м. Тверская, м. Пушкинская, Пушкинская площадь, кинотеатр «Россия»"),
    ("MSK-02", "Москва", "Офис «Киевская»", "пл. Киевского Вокзала, д. 2, ТЦ «Европейский»",
     "м. Киевская, Киевский вокзал, ТЦ Европейский"),
    ("MSK-03", "Москва", "Офис «Проспект Мира»", "пр-т Мира, д. 69, стр. 1",
     "м. Проспект Мира, м. Рижская, спорткомплекс Олимпийский"),
    ("MSK-04", "Москва", "Офис «Марьино»", "ул. Люблинская, д. 169, корп. 2",
     "м. Марьино, м. Братиславская, ТЦ Марьинский пассаж"),
    ("ZLG-01", "Зеленоград", "Офис «Зеленоград»", "корп. 1106, Центральный пр-т",
     "площадь Юности, ТЦ Панфиловский, станция Крюково"),
    ("BAL-01", "Балашиха", "Офис «Балашиха»", "ш. Энтузиастов, д. 36",
     "ТЦ Светофор, Горенский бульвар, станция Балашиха"),
    ("HIM-01", "Химки", "Офис «Химки»", "Ленинградское ш., вл. 5",
     "ТЦ Мега Химки, ИКЕА, станция Химки"),
    ("POD-01", "Подольск", "Офис «Подольск»", "ул. Кирова, д. 24",
     "площадь Ленина, ТЦ Центральный, станция Подольск"),
    ("SPB-01", "Санкт-Петербург", "Офис «Невский»", "Невский пр-т, д. 48",
     "м. Гостиный двор, м. Невский проспект, Пассаж, Гостиный двор"),
    ("SPB-02", "Санкт-Петербург", "Офис «Московская»", "Московский пр-т, д. 220",
     "м. Московская, площадь Победы, Монумент защитникам Ленинграда"),
    ("SPB-03", "Санкт-Петербург", "Офис «Просвещения»", "пр-т Просвещения, д. 19",
     "м. Проспект Просвещения, ТРК Норд, Северный проспект"),
    ("GAT-01", "Гатчина", "Офис «Гатчина»", "пр-т 25 Октября, д. 23",
     "Гатчинский дворец, вокзал Гатчина-Балтийская"),
    ("KOS-01", "Кострома", "Офис «Сусанинская»", "ул. Советская, д. 10",
     "Сусанинская площадь, Торговые ряды, пожарная каланча"),
    ("KOS-02", "Буй", "Офис «Буй»", "ул. Октябрьской Революции, д. 5",
     "площадь Революции, вокзал Буй"),
    ("EKB-01", "Екатеринбург", "Офис «Малышева»", "ул. Малышева, д. 51",
     "м. Площадь 1905 года, БЦ Высоцкий, Плотинка"),
    ("EKB-02", "Екатеринбург", "Офис «Геологическая»", "ул. 8 Марта, д. 46",
     "м. Геологическая, ТРЦ Гринвич, цирк"),
    ("NSK-01", "Новосибирск", "Офис «Красный проспект»", "Красный пр-т, д. 77",
     "м. Красный проспект, м. Сибирская, Первомайский сквер"),
    ("NSK-02", "Новосибирск", "Офис «Студенческая»", "ул. Ватутина, д. 107",
     "м. Студенческая, ТРЦ Мега, площадь Маркса"),
    ("KZN-01", "Казань", "Офис «Баумана»", "ул. Баумана, д. 44",
     "м. Площадь Тукая, улица Баумана, Чёрное озеро"),
    ("KZN-02", "Казань", "Офис «Ямашева»", "пр-т Ямашева, д. 46",
     "м. Яшьлек, ТЦ Тандем, проспект Ибрагимова"),
    ("NNV-01", "Нижний Новгород", "Офис «Покровка»", "ул. Большая Покровская, д. 29",
     "м. Горьковская, площадь Минина, Покровка"),
    ("SAM-01", "Самара", "Офис «Куйбышева»", "ул. Куйбышева, д. 94",
     "площадь Революции, м. Алабинская, драмтеатр"),
    ("TLT-01", "Тольятти", "Офис «Тольятти»", "ул. Юбилейная, д. 40",
     "ТЦ Русь на Волге, Автозаводский район"),
    ("KRD-01", "Краснодар", "Офис «Красная»", "ул. Красная, д. 124",
     "Крытый рынок, ТЦ Галерея, Театральная площадь"),
    ("SOC-01", "Сочи", "Офис «Сочи»", "Курортный пр-т, д. 16",
     "Морской вокзал, Зимний театр, парк Ривьера"),
    ("ROV-01", "Ростов-на-Дону", "Офис «Садовая»", "ул. Большая Садовая, д. 70",
     "Театральная площадь, парк Горького, Городская дума"),
    ("VRN-01", "Воронеж", "Офис «Революции»", "пр-т Революции, д. 35",
     "Советская площадь, Кольцовский сквер, театр оперы и балета"),
    ("OMS-01", "Омск", "Офис «Ленина»", "ул. Ленина, д. 14",
     "Театральная площадь, Любинский проспект"),
    ("CHE-01", "Челябинск", "Офис «Кировка»", "пр-т Ленина, д. 35",
     "площадь Революции, улица Кирова (Кировка), театр оперы"),
    ("YAR-01", "Ярославль", "Офис «Волкова»", "ул. Кирова, д. 10",
     "площадь Волкова, Знаменская башня, Ярославский музей-заповедник"),
]  # fmt: skip

OFFICE_HOURS = "Пн-Пт 9:00-19:00, Сб 10:00-17:00"

# (code, name, desk index 0 = Main desk / 1 = second desk, product codes offered in it)
CAMPAIGNS: list[tuple[str, str, int, list[str]]] = [
    ("halva_cross_sell", "«Халва»: кросс-продажа", 0, ["halva", "credit_card"]),
    ("cash_loan_preapproved", "Кредит наличными: предодобренный", 0, ["cash_loan", "insurance_life"]),
    ("credit_doctor", "Кредитный доктор", 0, ["credit_doctor", "credit_doctor_plus"]),
    ("deposit_retention", "Удержание вкладов", 1, ["deposit_best", "deposit_flex", "savings"]),
    ("pension_club", "Пенсионный клуб", 1, ["pension_club", "deposit_best"]),
]

SCRIPT_PLACEHOLDER = '# Placeholder: the real script of this campaign is loaded later.\ncampaign = "{name}"\n'

# Call results (K1-K13) and their reasons; codes as the result catalogue will hold them.
NOT_REACHED_REASONS = [
    "answering_machine", "no_answer", "wrong_number", "unavailable",
    "busy", "not_exists", "blocked", "fax_modem",
]  # fmt: skip
CALLBACK_REASONS = ["third_party", "call_dropped", "client_request"]
NON_TARGET_REASONS = [
    "age", "maternity_leave", "away_30_days", "no_request", "sole_trader", "overdue_debt",
    "depositor", "other_conditions", "refused_in_office", "no_official_job",
    "no_registration", "personal_data_error", "no_branch_in_region", "already_applied",
]  # fmt: skip
REFUSED_REASONS = ["no_need", "high_rate", "other_bank", "no_time", "distrust", "bad_experience"]
CARD_DELIVERY = ["dsm_delivery", "fc_delivery", "self_pickup"]  # K10
DND_REASONS = ["third_party_cannot_invite", "no_request", "client_died", "wrong_number", "refused_conversation"]

# (result, weight) for an ordinary call; consultation follows an agreed call (K12), and an
# agreed call in a card campaign may be a card-product result (K10).
CALL_RESULTS: list[tuple[str, int]] = [
    ("not_reached", 34),
    ("call_dropped", 3),
    ("callback", 15),
    ("non_target", 6),
    ("think", 10),
    ("refused", 12),
    ("agreed", 13),
    ("do_not_disturb", 2),
]

CALL_COMMENTS = [
    "Просил перезвонить вечером",
    "Клиент за рулём",
    "Сравнивает условия с другим банком",
    "Интересуется ставкой",
    "Уточнил условия по досрочному погашению",
    "Ответила супруга, клиента нет дома",
    "Говорит, что подумает до конца месяца",
    "Готов прийти с паспортом",
    "Недоволен предыдущим обслуживанием",
    "Попросил прислать условия по SMS",
]

CARD_COMMENTS = [
    "Клиент предпочитает звонки после 18:00",
    "Обращался по поводу справки о закрытии кредита",
    "Пенсионер, получает пенсию на карту банка",
    "Просит не звонить на рабочий номер",
    "Зарплатный клиент, работодатель — ООО «Ромашка»",
    "Интересовался вкладом в юанях",
    "Жалоба на очередь в офисе, передано руководителю",
    "Планирует покупку автомобиля весной",
    "Карта перевыпущена в связи с окончанием срока",
    "Клиент сменил фамилию, паспорт обновлён",
]

VISIT_TEXT = "{first_name} {patronymic}, we are waiting for you on {date} at {time}: {address}."

MERCHANTS = [
    "Пятёрочка", "Магнит", "Перекрёсток", "ВкусВилл", "Лента", "OZON", "Wildberries",
    "Яндекс Маркет", "М.Видео", "DNS", "Спортмастер", "Аптека 36,6", "Лукойл АЗС",
    "Роснефть АЗС", "Леруа Мерлен", "OBI", "Детский мир", "Л'Этуаль", "Бургер Кинг", "Шоколадница",
]  # fmt: skip
DEPOSIT_SOURCES = ["Пополнение через банкомат", "Перевод с карты другого банка", "Зачисление зарплаты", "Пенсия"]

EMAIL_DOMAINS = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "inbox.ru", "rambler.ru", "ya.ru"]

CHANGE_REASONS = ["Client's request", "Updated during a call", "Documents checked in the office"]

# client type -> weight; lifecycle weights depend on the type in `demo_people`.
CLIENT_TYPES: list[tuple[str, int]] = [
    ("client", 35),
    ("internet", 20),
    ("interested", 15),
    ("recommended", 10),
    ("online_chat", 10),
    ("front_office", 10),
]
