"""The card's statements, built once at import: building a Core statement (and a fresh alias of
the client table) per call cost more than the card's SQLite reads themselves."""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased

from core.clients.store import CardBlocks, ClientHead
from storage.tables import (
    CampaignRow,
    CardTransactionRow,
    ClientProductRow,
    ClientRow,
    ContactChangeRow,
    ContactProductRow,
    ContactRow,
    DeskRow,
    EmailRow,
    EmployeeRow,
    OfficeRow,
    PhoneRow,
    ProductRow,
    RegionRow,
    TownRow,
)
from storage.tables_work import ActionRow, ActionTypeRow, ClientTagRow, TagRow

CARD_LIST_LIMIT = 200  # transactions and changes shown on a card, newest first

_client = ClientRow.__table__.c
_phone = PhoneRow.__table__.c
_id = bindparam("client_id")
_referrer = aliased(ClientRow)
_last = aliased(ActionRow)
# M4: the action due last; M7: the tags, in one text (the card reads them in its first statement)
_LAST_ACTION_ID = (
    select(ActionRow.id)
    .where(ActionRow.client_id == ClientRow.id)
    .order_by(ActionRow.due_at.desc(), ActionRow.id.desc())
    .limit(1)
    .scalar_subquery()
)
_TAGS = (
    select(func.aggregate_strings(TagRow.key, ","))
    .select_from(ClientTagRow)
    .join(TagRow, TagRow.id == ClientTagRow.tag_id)
    .where(ClientTagRow.client_id == ClientRow.id)
    .scalar_subquery()
)

CLIENT = (
    select(
        ClientRow,
        RegionRow.name.label("region"),
        TownRow.name.label("town"),
        DeskRow.name.label("desk"),
        DeskRow.broker.label("broker_desk"),
        EmployeeRow.full_name.label("responsible"),
        _referrer.surname.label("ref_surname"),
        _referrer.first_name.label("ref_first"),
        _referrer.patronymic.label("ref_patronymic"),
        _referrer.desk_id.label("ref_desk_id"),
        ActionTypeRow.name.label("last_action_type"),
        _last.due_at.label("last_action_due"),
        _last.done_at.label("last_action_done"),
        _TAGS.label("tags"),
    )
    .outerjoin(RegionRow, RegionRow.id == ClientRow.region_id)
    .outerjoin(TownRow, TownRow.id == ClientRow.town_id)
    .outerjoin(DeskRow, DeskRow.id == ClientRow.desk_id)
    .outerjoin(EmployeeRow, EmployeeRow.id == ClientRow.responsible_id)
    .outerjoin(_referrer, _referrer.id == ClientRow.referrer_id)
    .outerjoin(_last, _last.id == _LAST_ACTION_ID)
    .outerjoin(ActionTypeRow, ActionTypeRow.id == _last.type_id)
    .where(ClientRow.id == _id)
)
PHONES = select(PhoneRow).where(_phone.client_id == _id).order_by(_phone.id)
EMAILS = select(EmailRow).where(EmailRow.client_id == _id).order_by(EmailRow.id)
HISTORY_TOTAL = select(func.count()).select_from(ContactRow).where(ContactRow.client_id == _id)
TRANSACTIONS = (
    select(CardTransactionRow, ProductRow.name.label("product"))
    .outerjoin(ClientProductRow, ClientProductRow.id == CardTransactionRow.client_product_id)
    .outerjoin(ProductRow, ProductRow.id == ClientProductRow.product_id)
    .where(CardTransactionRow.client_id == _id)
    .order_by(CardTransactionRow.at.desc(), CardTransactionRow.id.desc())
    .limit(CARD_LIST_LIMIT)
)
LINKED = select(ClientRow).where(_client.referrer_id == _id).order_by(_client.id)
CHANGES = (
    select(ContactChangeRow, EmployeeRow.full_name.label("employee"))
    .outerjoin(EmployeeRow, EmployeeRow.id == ContactChangeRow.employee_id)
    .where(ContactChangeRow.client_id == _id)
    .order_by(ContactChangeRow.at.desc(), ContactChangeRow.id.desc())
    .limit(CARD_LIST_LIMIT)
)
PRODUCTS = (
    select(ClientProductRow, ProductRow.category, ProductRow.name.label("product"))
    .join(ProductRow, ProductRow.id == ClientProductRow.product_id)
    .where(ClientProductRow.client_id == _id)
    .order_by(ClientProductRow.opened_on.desc(), ClientProductRow.id.desc())
)
_contact = ContactRow.__table__.c
# the entry's fields only, in this order (storage.repo_clients maps them by position)
_HISTORY_COLUMNS = select(
    _contact.id,
    _contact.at,
    _contact.ended_at,
    _contact.kind,
    CampaignRow.name.label("campaign"),
    _contact.result,
    _contact.reason,
    _contact.comment,
    EmployeeRow.full_name.label("employee"),
    _contact.phone,
    OfficeRow.name.label("office"),
    _contact.visit_at,
    _contact.next_at,
)
HISTORY = (
    _HISTORY_COLUMNS.outerjoin(CampaignRow, CampaignRow.id == ContactRow.campaign_id)
    .outerjoin(EmployeeRow, EmployeeRow.id == ContactRow.employee_id)
    .outerjoin(OfficeRow, OfficeRow.id == ContactRow.office_id)
    .where(ContactRow.client_id == _id)
    .order_by(ContactRow.at.desc(), ContactRow.id.desc())
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)
_survivor = ClientRow.__table__.alias("survivor")
# the client an id names: F3, a merged-away id names the survivor
_NAMED = ClientRow.__table__.join(_survivor, _survivor.c.id == func.coalesce(_client.merged_into, _client.id))
# the card a history page belongs to and its desk
HISTORY_OWNER = select(_survivor.c.id, _survivor.c.desk_id).select_from(_NAMED).where(_client.id == _id)
# the slim read of a client an operation names (core.clients.store.ClientHead): one statement
CLIENT_HEAD = select(*(_survivor.c[f.name] for f in fields(ClientHead))).select_from(_NAMED).where(_client.id == _id)
# the editable blocks' scalar fields (core.clients.store.CardBlocks); phones and e-mails by PHONES, EMAILS
_BLOCK_FIELDS = [f.name for f in fields(CardBlocks) if f.name not in ("region", "town", "phones", "emails")]
CARD_BLOCKS = (
    select(*(_survivor.c[name] for name in _BLOCK_FIELDS), RegionRow.name.label("region"), TownRow.name.label("town"))
    .select_from(_NAMED)
    .outerjoin(RegionRow, RegionRow.id == _survivor.c.region_id)
    .outerjoin(TownRow, TownRow.id == _survivor.c.town_id)
    .where(_client.id == _id)
)
CLIENT_PHONE = select(PhoneRow).where(_phone.id == bindparam("phone_id"), _phone.client_id == _id)
HISTORY_ENTRY = (
    _HISTORY_COLUMNS.outerjoin(CampaignRow, CampaignRow.id == ContactRow.campaign_id)
    .outerjoin(EmployeeRow, EmployeeRow.id == ContactRow.employee_id)
    .outerjoin(OfficeRow, OfficeRow.id == ContactRow.office_id)
    .where(ContactRow.id == bindparam("contact_id"))
)
HISTORY_PRODUCTS = (
    select(ContactProductRow.contact_id, ProductRow.name)
    .join(ProductRow, ProductRow.id == ContactProductRow.product_id)
    .where(ContactProductRow.contact_id.in_(bindparam("contact_ids", expanding=True)))
)
