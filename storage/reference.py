"""Reference data a database needs before anyone signs in: roles, a desk, regions, products, templates."""

from __future__ import annotations

import json

from sqlalchemy import Engine, func, insert, select, update

from core.access.rules import DEFAULT_ROLES, format_permissions
from core.work.rules import DEFAULT_ACTION_TYPES
from storage import reference_cache
from storage.catalogue import EMAIL_TEMPLATES, PRODUCTS, REGION_ZONES, REGIONS, SMS_TEMPLATES
from storage.engine import write
from storage.tables import DeskRow, ProductRow, RegionRow, RoleRow, SmsTemplateRow, TownRow
from storage.tables_delivery import EmailTemplateRow
from storage.tables_work import ActionTypeRow

DEFAULT_DESK = "Main desk"


def ensure_reference_data(engine: Engine) -> None:
    """Insert what is missing; never touches rows that exist (supervisors may have edited them)."""
    try:
        _ensure(engine)
    finally:
        reference_cache.changed()


def _ensure(engine: Engine) -> None:
    with write(engine) as conn:
        known_roles = set(conn.scalars(select(RoleRow.code)))
        rows = [
            {"code": code, "name": name, "permissions": format_permissions(perms)}
            for code, (name, perms) in DEFAULT_ROLES.items()
            if code not in known_roles
        ]
        if rows:
            conn.execute(insert(RoleRow), rows)
        if not conn.scalar(select(func.count()).select_from(DeskRow)):
            conn.execute(insert(DeskRow), [{"name": DEFAULT_DESK}])
        if not conn.scalar(select(func.count()).select_from(ActionTypeRow)):  # M4: the seed's funnel stages
            stages = [{"code": c, "name": n, "position": i} for i, (c, n) in enumerate(DEFAULT_ACTION_TYPES)]
            conn.execute(insert(ActionTypeRow), stages)
        if not conn.scalar(select(func.count()).select_from(RegionRow)):
            for region, towns in REGIONS.items():
                values = {"name": region, "timezone": REGION_ZONES.get(region)}
                region_id = conn.execute(insert(RegionRow).values(**values)).inserted_primary_key[0]
                conn.execute(insert(TownRow), [{"region_id": region_id, "name": town} for town in towns])
        known_products = set(conn.scalars(select(ProductRow.code)))
        rows = [
            {"code": code, "category": category, "name": name, "is_card": card}
            for code, category, name, card in PRODUCTS
            if code not in known_products
        ]
        if rows:
            conn.execute(insert(ProductRow), rows)
        known_templates = dict(conn.execute(select(SmsTemplateRow.code, SmsTemplateRow.texts)).all())
        rows = [
            {"code": c, "name": n, "text": t["ru"], "texts": json.dumps(t, ensure_ascii=False)}
            for c, n, t in SMS_TEMPLATES
            if c not in known_templates
        ]
        if rows:
            conn.execute(insert(SmsTemplateRow), rows)
        for code, _name, texts in SMS_TEMPLATES:  # a database from before per-language texts
            if code in known_templates and known_templates[code] is None:
                conn.execute(
                    update(SmsTemplateRow)
                    .where(SmsTemplateRow.code == code, SmsTemplateRow.text == texts["en"])  # not edited since
                    .values(text=texts["ru"], texts=json.dumps(texts, ensure_ascii=False))
                )
        known_mail = set(conn.scalars(select(EmailTemplateRow.code)))
        mail = [
            {
                "code": c,
                "name": n,
                "subject": t["ru"]["subject"],
                "body": t["ru"]["body"],
                "texts": json.dumps(t, ensure_ascii=False),
            }
            for c, n, t in EMAIL_TEMPLATES
            if c not in known_mail
        ]
        if mail:
            conn.execute(insert(EmailTemplateRow), mail)
