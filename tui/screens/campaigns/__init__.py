"""K16/K18 campaign management on the console: the list, the form, filling and recycling the list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def open_campaigns(app: Any) -> None:
    """Push the campaigns screen (the command palette, `CrmApp.action_campaigns`)."""
    from tui.screens.campaigns.list import CampaignsScreen

    if app.employee is not None and not isinstance(app.screen, CampaignsScreen):
        app.push_screen(CampaignsScreen())


def list_commands(app: Any) -> list[tuple[str, Callable[[], object], str]]:
    """The palette's commands of campaigns and the import, for an employee with the permission."""
    from tui.i18n import _

    me = app.employee
    commands: list[tuple[str, Callable[[], object], str]] = []
    if me is not None and "manage_campaigns" in me.permissions:
        commands.append((_("Campaigns"), app.action_campaigns, _("Campaign lists, calling hours, recycling")))
    if me is not None and "import_clients" in me.permissions:
        commands.append((_("Import clients"), app.action_import_clients, _("Clients from a CSV or XLSX file")))
    return commands
