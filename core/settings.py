"""Settings: defaults, then the config file (TOML, XDG path), then environment variables."""

from __future__ import annotations

import os
import tomllib
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP = "crm-console"


def default_database() -> str:
    return str(user_data_path(APP) / "crm.sqlite3")


def default_secret_file() -> str:
    """The server secret of sign-in code digests: outside the database, beside the default one."""
    return os.environ.get("CRM_SECRET_FILE") or str(user_data_path(APP) / "server.key")


def config_file() -> Path:
    return Path(os.environ.get("CRM_CONFIG", user_config_path(APP) / "config.toml"))


@dataclass
class Settings:
    database: str = field(default_factory=default_database)
    server: str | None = None
    phone_region: str = "RU"
    lang: str | None = None
    timezone: str = "Europe/Moscow"
    keymap: dict[str, str] = field(default_factory=dict)
    secret_file: str = field(default_factory=default_secret_file)
    trusted_proxies: str = ""  # comma-separated addresses whose X-Forwarded-For is believed
    report_success: list[str] = field(default_factory=list)  # result codes; empty: core.reports' default
    events_secret: str = ""  # I4: the webhook's shared HMAC secret; empty: POST /api/v1/events refuses all
    events_tolerance_s: int = 300  # I4: how far an event's timestamp may be from now
    online_timeout_s: int = 300  # C14: online ends this long after the last login or heartbeat
    pulse_s: float = 3  # the live card: seconds between the console's light polls (0: none)
    low_balance: dict[str, Decimal] = field(  # C15: per account currency
        default_factory=lambda: {"USD": Decimal("100"), "EUR": Decimal("100"), "RUB": Decimal("10000")}
    )
    worker: bool = True  # `crm serve` and the local console run the job worker in a thread (core.jobs)
    delivery: Delivery = field(default_factory=lambda: Delivery())  # I2, I3: the senders of the outboxes


@dataclass
class Delivery:
    """Where the worker sends the outboxes: an empty host / URL is the "log only" default."""

    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    smtp_from: str = "crm@localhost"
    sms_gateway_url: str = ""  # a JSON POST {id, to, text} with "Authorization: Bearer <token>"
    sms_gateway_token: str = ""


def load_settings(path: Path | None = None) -> Settings:
    settings = Settings()
    file = path or config_file()
    if file.is_file():
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        for key in ("database", "server", "phone_region", "lang", "timezone", "secret_file", "trusted_proxies"):
            if isinstance(data.get(key), str):
                setattr(settings, key, data[key])
        if isinstance(data.get("report_success"), list):
            settings.report_success = [str(code) for code in data["report_success"]]
        _broker(settings, data)
        _delivery(settings.delivery, data)
        if isinstance(data.get("worker"), bool):
            settings.worker = data["worker"]
        if isinstance(data.get("keymap"), dict):
            settings.keymap = {str(k): str(v) for k, v in data["keymap"].items()}
    env = os.environ
    settings.database = env.get("CRM_DB", settings.database)
    settings.server = env.get("CRM_SERVER", settings.server)
    settings.phone_region = env.get("CRM_PHONE_REGION", settings.phone_region)
    settings.lang = env.get("CRM_LANG", settings.lang)
    settings.timezone = env.get("CRM_TZ", settings.timezone)
    settings.secret_file = env.get("CRM_SECRET_FILE", settings.secret_file)
    settings.trusted_proxies = env.get("CRM_TRUSTED_PROXIES", settings.trusted_proxies)
    settings.events_secret = env.get("CRM_EVENTS_SECRET", settings.events_secret)
    for name in ("events_tolerance_s", "online_timeout_s", "pulse_s"):
        if env.get(f"CRM_{name.upper()}", "").isdigit():
            setattr(settings, name, int(env[f"CRM_{name.upper()}"]))
    if env.get("CRM_WORKER") in ("0", "1"):
        settings.worker = env["CRM_WORKER"] == "1"
    _delivery_env(settings.delivery, env)
    if env.get("CRM_REPORT_SUCCESS"):
        settings.report_success = [c.strip() for c in env["CRM_REPORT_SUCCESS"].split(",") if c.strip()]
    return settings


def _broker(settings: Settings, data: dict[str, object]) -> None:
    """The broker's settings of the config file: events_secret, the two times, [low_balance]."""
    if isinstance(data.get("events_secret"), str):
        settings.events_secret = data["events_secret"]  # type: ignore[assignment]
    for name in ("events_tolerance_s", "online_timeout_s", "pulse_s"):
        if isinstance(data.get(name), int) and data[name] > 0:  # type: ignore[operator]
            setattr(settings, name, data[name])
    limits = data.get("low_balance")
    if isinstance(limits, dict):
        with suppress(InvalidOperation):  # a malformed threshold: the defaults stay
            settings.low_balance = {str(k).upper(): Decimal(str(v)) for k, v in limits.items()}


def _delivery(d: Delivery, data: dict[str, object]) -> None:
    """[smtp] host, port, user, password, starttls, from; [sms_gateway] url, token."""
    smtp, gateway = data.get("smtp"), data.get("sms_gateway")
    for name, value in smtp.items() if isinstance(smtp, dict) else ():
        attr = f"smtp_{name}"
        if hasattr(d, attr) and isinstance(value, type(getattr(d, attr))):
            setattr(d, attr, value)
    for name, value in gateway.items() if isinstance(gateway, dict) else ():
        if name in ("url", "token") and isinstance(value, str):
            setattr(d, f"sms_gateway_{name}", value)


def _delivery_env(d: Delivery, env: os._Environ[str] | dict[str, str]) -> None:
    """CRM_SMTP_HOST, _PORT, _USER, _PASSWORD, _STARTTLS (0/1), _FROM; CRM_SMS_GATEWAY_URL, _TOKEN."""
    for name in ("smtp_host", "smtp_user", "smtp_password", "smtp_from", "sms_gateway_url", "sms_gateway_token"):
        if f"CRM_{name.upper()}" in env:
            setattr(d, name, env[f"CRM_{name.upper()}"])
    if env.get("CRM_SMTP_PORT", "").isdigit():
        d.smtp_port = int(env["CRM_SMTP_PORT"])
    if env.get("CRM_SMTP_STARTTLS") in ("0", "1"):
        d.smtp_starttls = env["CRM_SMTP_STARTTLS"] == "1"
