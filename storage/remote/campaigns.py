"""The campaign-management part of the remote Console (`core.calls.campaigns.CampaignsPort` over HTTP)."""

from __future__ import annotations

from core.calls.campaigns import Campaign, CampaignSpec, RecyclePlan
from storage.remote.base import RemoteBase, _id, _parse


class RemoteCampaigns(RemoteBase):
    def list_campaigns(self) -> list[Campaign]:
        return self._get("/campaigns", list[Campaign])

    def create_campaign(self, spec: CampaignSpec) -> Campaign:
        return self._send("POST", "/campaigns", Campaign, spec)

    def edit_campaign(self, campaign_id: int, spec: CampaignSpec) -> Campaign:
        return self._send("PUT", f"/campaigns/{_id(campaign_id)}", Campaign, spec)

    def pause_campaign(self, campaign_id: int) -> Campaign:
        return self._send("POST", f"/campaigns/{_id(campaign_id)}/pause", Campaign)

    def resume_campaign(self, campaign_id: int) -> Campaign:
        return self._send("POST", f"/campaigns/{_id(campaign_id)}/resume", Campaign)

    def add_to_campaign(self, campaign_id: int, client_ids: list[int]) -> int:
        body = {"client_ids": client_ids}
        return _parse(dict, self._request("POST", f"/campaigns/{_id(campaign_id)}/members", json=body))["count"]

    def remove_from_campaign(self, campaign_id: int, client_ids: list[int]) -> int:
        body = {"client_ids": client_ids}
        return _parse(dict, self._request("POST", f"/campaigns/{_id(campaign_id)}/members/remove", json=body))["count"]

    def recycle_campaign(self, campaign_id: int, plan: RecyclePlan) -> int:
        return self._send("POST", f"/campaigns/{_id(campaign_id)}/recycle", dict, plan)["count"]

    def campaign_script_version(self, campaign_id: int, version: int) -> str:
        return self._get(f"/campaigns/{_id(campaign_id)}/script-version", str, version=version)
