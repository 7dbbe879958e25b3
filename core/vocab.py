"""The closed vocabularies of the domain: codes stored in the database, English labels.

Labels are msgids: the console translates them through its gettext catalogue.
"""

from __future__ import annotations

from enum import StrEnum


class ClientType(StrEnum):
    """Where the card came from (SPEC C1, S7)."""

    INTERNET = "internet"
    INTERESTED = "interested"
    RECOMMENDED = "recommended"
    ONLINE_CHAT = "online_chat"
    CLIENT = "client"
    FRONT_OFFICE = "front_office"

    @property
    def label(self) -> str:
        return CLIENT_TYPE_LABELS[self]


CLIENT_TYPE_LABELS = {
    ClientType.INTERNET: "Internet",
    ClientType.INTERESTED: "Interested",
    ClientType.RECOMMENDED: "Recommended",
    ClientType.ONLINE_CHAT: "Online chat",
    ClientType.CLIENT: "Client",
    ClientType.FRONT_OFFICE: "Front-office applicant",
}


class Lifecycle(StrEnum):
    """SPEC C13: Lead -> Demo -> Live."""

    LEAD = "lead"
    DEMO = "demo"
    LIVE = "live"


class PhoneKind(StrEnum):
    MOBILE = "mobile"
    HOME = "home"
    WORK = "work"


class PhoneStatus(StrEnum):
    ACTIVE = "active"
    STRUCK = "struck"


class StrikeReason(StrEnum):
    """SPEC C3: why a phone does not belong to the client."""

    DO_NOT_CONTACT = "do_not_contact"
    CHANGED = "changed"
    NOT_IN_USE = "not_in_use"
    WRONG = "wrong"

    @property
    def label(self) -> str:
        return STRIKE_REASON_LABELS[self]


STRIKE_REASON_LABELS = {
    StrikeReason.DO_NOT_CONTACT: "Do not contact",
    StrikeReason.CHANGED: "Changed",
    StrikeReason.NOT_IN_USE: "Not in use",
    StrikeReason.WRONG: "Wrong",
}


class ContactKind(StrEnum):
    """Kinds of contact-history entries (SPEC C5, C12, C16)."""

    CALL = "call"
    SMS = "sms"
    VISIT = "visit"
    COMMENT = "comment"
    STATUS = "status"
    AUTOMATION = "automation"  # M8: a rule fired (core.automation)


class ProductCategory(StrEnum):
    """SPEC O4: the six categories of offered products."""

    CREDIT = "credit"
    DEPOSIT = "deposit"
    COMMISSION = "commission"
    CREDIT_DOCTOR = "credit_doctor"
    INTERNAL_PROJECT = "internal_project"
    SME = "sme"

    @property
    def label(self) -> str:
        return PRODUCT_CATEGORY_LABELS[self]


PRODUCT_CATEGORY_LABELS = {
    ProductCategory.CREDIT: "Credit",
    ProductCategory.DEPOSIT: "Deposit",
    ProductCategory.COMMISSION: "Commission",
    ProductCategory.CREDIT_DOCTOR: "Credit doctor",
    ProductCategory.INTERNAL_PROJECT: "Internal project",
    ProductCategory.SME: "SME products",
}


class TransactionKind(StrEnum):
    """SPEC C7: money in to the card account, or a purchase."""

    DEPOSIT = "deposit"
    PURCHASE = "purchase"


class SmsStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class SmsPurpose(StrEnum):
    SIGN_IN_CODE = "sign_in_code"
    CLIENT = "client"
    VISIT = "visit"
    CREDENTIALS = "credentials"  # M2: the cabinet's login and password (e-mail; redacted once sent)


class ChangeField(StrEnum):
    """Fields whose changes are audited (SPEC C10)."""

    SURNAME = "surname"
    FIRST_NAME = "first_name"
    PATRONYMIC = "patronymic"
    BIRTH_DATE = "birth_date"
    REGION = "region"
    TOWN = "town"
    PHONE = "phone"
    PHONE_STATUS = "phone_status"
    EMAIL = "email"
