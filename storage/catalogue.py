"""Reference data every database starts with: regions and towns, the product catalogue (O4),
SMS templates. Real Russian regions and towns; the products are typical of a retail bank."""

from __future__ import annotations

REGIONS: dict[str, list[str]] = {
    "Москва": ["Москва", "Зеленоград"],
    "Московская область": ["Балашиха", "Подольск", "Химки", "Мытищи", "Королёв", "Люберцы"],
    "Санкт-Петербург": ["Санкт-Петербург", "Колпино", "Пушкин"],
    "Ленинградская область": ["Гатчина", "Выборг", "Всеволожск"],
    "Костромская область": ["Кострома", "Буй", "Шарья", "Нерехта"],
    "Свердловская область": ["Екатеринбург", "Нижний Тагил", "Каменск-Уральский", "Первоуральск"],
    "Новосибирская область": ["Новосибирск", "Бердск", "Искитим"],
    "Республика Татарстан": ["Казань", "Набережные Челны", "Нижнекамск", "Альметьевск"],
    "Нижегородская область": ["Нижний Новгород", "Дзержинск", "Арзамас"],
    "Самарская область": ["Самара", "Тольятти", "Сызрань"],
    "Краснодарский край": ["Краснодар", "Сочи", "Новороссийск", "Армавир"],
    "Ростовская область": ["Ростов-на-Дону", "Таганрог", "Шахты"],
    "Воронежская область": ["Воронеж", "Борисоглебск", "Россошь"],
    "Омская область": ["Омск", "Тара"],
    "Челябинская область": ["Челябинск", "Магнитогорск", "Златоуст"],
    "Ярославская область": ["Ярославль", "Рыбинск", "Переславль-Залесский"],
}

# The time zone of each region above not in Moscow time (K16: calling hours are the client's own).
REGION_ZONES: dict[str, str] = {
    "Самарская область": "Europe/Samara",
    "Свердловская область": "Asia/Yekaterinburg",
    "Челябинская область": "Asia/Yekaterinburg",
    "Новосибирская область": "Asia/Novosibirsk",
    "Омская область": "Asia/Omsk",
}

# (code, category, name, is_card)
PRODUCTS: list[tuple[str, str, str, bool]] = [
    ("cash_loan", "credit", "Cash loan", False),
    ("car_loan", "credit", "Car-secured loan", False),
    ("mortgage", "credit", "Mortgage", False),
    ("halva", "credit", "Halva instalment card", True),
    ("credit_card", "credit", "Credit card", True),
    ("deposit_best", "deposit", "Best-rate deposit", False),
    ("deposit_flex", "deposit", "Flexible deposit", False),
    ("savings", "deposit", "Savings account", False),
    ("insurance_life", "commission", "Life insurance", False),
    ("safe_box", "commission", "Safe deposit box", False),
    ("transfer", "commission", "Money transfer", False),
    ("credit_doctor", "credit_doctor", "Credit history repair", False),
    ("credit_doctor_plus", "credit_doctor", "Credit history repair plus", True),
    ("pension_club", "internal_project", "Pension club", False),
    ("salary_project", "internal_project", "Salary project", False),
    ("sme_account", "sme", "Business current account", False),
    ("sme_loan", "sme", "Business loan", False),
    ("sme_acquiring", "sme", "Merchant acquiring", False),
]

# (code, name, texts by the client's language); fields in braces are filled from the card (C4).
# Clients read Russian by default (core.clients.card_rules.client_text); the first text is the default.
SMS_TEMPLATES: list[tuple[str, str, dict[str, str]]] = [
    (
        "office_hours",
        "Office hours",
        {
            "ru": "{first_name} {patronymic}, наши офисы работают пн-пт 9:00-20:00, сб 10:00-17:00.",
            "en": "{first_name} {patronymic}, our offices are open Mon-Fri 9:00-20:00, Sat 10:00-17:00.",
        },
    ),
    (
        "halva_info",
        "Halva card",
        {
            "ru": "{first_name} {patronymic}, «Халва»: рассрочка до 12 месяцев без процентов. "
            "Подробнее: 8 800 100-00-06.",
            "en": "{first_name} {patronymic}, Halva: instalments up to 12 months with no interest. "
            "Details: 8 800 100-00-06.",
        },
    ),
    (
        "documents",
        "Documents for a loan",
        {
            "ru": "{first_name} {patronymic}, для кредита возьмите паспорт и второй документ "
            "(СНИЛС, водительское удостоверение или ИНН).",
            "en": "{first_name} {patronymic}, for a loan bring your passport and a second document "
            "(SNILS, driving licence or INN).",
        },
    ),
    (
        "callback",
        "We will call back",
        {
            "ru": "{first_name} {patronymic}, мы не смогли до вас дозвониться и перезвоним. "
            "Контакт-центр банка: 8 800 100-00-06.",
            "en": "{first_name} {patronymic}, we could not reach you and will call back. "
            "Bank contact centre: 8 800 100-00-06.",
        },
    ),
]

# I3: e-mail templates, per language (Russian the default; a client's language when it has one).
EMAIL_TEMPLATES: list[tuple[str, str, dict[str, dict[str, str]]]] = [
    (
        "cabinet_credentials",
        "Cabinet credentials",
        {
            "ru": {
                "subject": "Доступ в личный кабинет",
                "body": "{first_name}, вы зарегистрированы в личном кабинете.\n"
                "Логин: {login}\nПароль: {password}\n"
                "Смените пароль при первом входе.",
            },
            "en": {
                "subject": "Your client cabinet",
                "body": "{first_name}, you are registered in the client cabinet.\n"
                "Login: {login}\nPassword: {password}\n"
                "Please change the password when you first sign in.",
            },
        },
    ),
    (
        "money_request_rejected",
        "Money request rejected",
        {
            "ru": {
                "subject": "Заявка на {kind} отклонена",
                "body": "{first_name}, ваша заявка на {kind} {amount} отклонена.\nПричина: {reason}",
            },
            "en": {
                "subject": "Your {kind} request was rejected",
                "body": "{first_name}, your {kind} request of {amount} was rejected.\nReason: {reason}",
            },
        },
    ),
    (
        "welcome",
        "Welcome",
        {
            "ru": {
                "subject": "Добро пожаловать",
                "body": "{first_name} {patronymic}, спасибо, что выбрали нас.\n"
                "Ваш менеджер свяжется с вами в ближайшее время.",
            },
            "en": {
                "subject": "Welcome",
                "body": "{first_name}, thank you for choosing us.\nYour manager will contact you shortly.",
            },
        },
    ),
    (
        "money_request_executed",
        "Money request executed",
        {
            "ru": {
                "subject": "Заявка на {kind} исполнена",
                "body": "{first_name}, ваша заявка на {kind} {amount} исполнена.",
            },
            "en": {
                "subject": "Your {kind} request was executed",
                "body": "{first_name}, your {kind} request of {amount} was executed.",
            },
        },
    ),
]
