"""M2 on the card: g asks first, then registers the Lead in the cabinet; the status line names the
login and the (masked, for a masked operator) address; the password is never on screen."""

from __future__ import annotations

from sqlalchemy import Engine, text

from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, status, until
from tui.screens.card import CardScreen


async def _card(pilot, app) -> CardScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    app.open_card(world.IVANOV)
    await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
    return app.screen


async def test_g_registers_after_a_confirmation(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await _card(pilot, app)
        await pilot.press("g")
        await until(pilot, lambda: "Register the client in the cabinet?" in screen_text(app))
        await pilot.press("n")  # cancelled: nothing happens
        await until(pilot, lambda: isinstance(app.screen, CardScreen))
        with db.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM cabinet_account")).scalar() == 0
        await pilot.press("g")
        await until(pilot, lambda: "Register the client in the cabinet?" in screen_text(app))
        await pilot.press("y")
        await until(pilot, lambda: status(app).startswith("Registered in the cabinet: login C0000001;"))
        assert "ivanov@example.com" in status(app)
        with db.connect() as conn:
            body = conn.execute(text("SELECT body FROM email_outbox")).scalar()
        password = body.split("Пароль: ")[1].split()[0]
        assert password not in screen_text(app)
        await pilot.press("g")
        await until(pilot, lambda: "Register the client in the cabinet?" in screen_text(app))
        await pilot.press("y")
        await until(pilot, lambda: status(app) == "Only a Lead not yet in the cabinet can be registered.")


async def test_a_masked_operator_sees_the_address_masked(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await _card(pilot, app)
        await pilot.press("g")
        await until(pilot, lambda: "Register the client in the cabinet?" in screen_text(app))
        await pilot.press("y")
        await until(pilot, lambda: status(app).startswith("Registered in the cabinet"))
        assert "ivanov@example.com" not in status(app) and "i***@" in status(app)


async def test_the_sms_tab_lists_the_messages_with_their_status(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    boss = world.signed_in(db, "boss")
    boss.register_in_cabinet(world.IVANOV)
    card = boss.open_card(world.IVANOV)
    boss.send_sms(world.IVANOV, "callback", phone_id=card.phones[0].id)
    with db.begin() as conn:
        conn.execute(text("UPDATE email_outbox SET status = 'failed', error = 'SMTP refused the message (550)'"))
    app = make_app("operator")  # masked: no number, no address in clear
    async with app.run_test(size=SIZE) as pilot:
        await _card(pilot, app)
        await pilot.press("2")
        await until(pilot, lambda: "Messages to the client, newest first:" in screen_text(app))
        shown = screen_text(app)
        assert "SMS  queued" in shown and "E-mail  failed  i***@" in shown
        assert "SMTP refused the message (550)" in shown
        assert "ivanov@example.com" not in shown and "345-67-89" not in shown
