"""Signals over HTTP against the simulator: ingest, evaluate, list, statistics, errors."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.clock import utcnow
from app.platform.db.models import EventOutbox
from app.platform.schemas.bounds import MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH
from app.signals.models import Signal
from app.signals.service import signal_service
from tests.api.portfolio_calls import ADMIN, BASE, READ, TRADE, ranked
from tests.helpers import assert_problem

SIGNALS = f"{BASE}/signals"


def body(**changes: Any) -> dict[str, Any]:
    signal = {
        "source": "momentum-bot",
        "symbol": "ETHUSDT",
        "signal_type": "BREAKOUT",
        "direction": "BUY",
        "strength": 0.8,
        "confidence": 0.7,
        "timeframe": "1h",
        "payload": {"level": 1},
    }
    signal.update(changes)
    return signal


async def post(api: httpx.AsyncClient, **changes: Any) -> httpx.Response:
    return await api.post(SIGNALS, json=body(**changes), headers=TRADE)


async def stored(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Signal)) or 0)


class TestIngest:
    async def test_a_signal_is_stored_pending_with_its_canonical_symbol(
        self, api: httpx.AsyncClient
    ) -> None:
        response = await post(api, symbol="eth-usdt")
        assert response.status_code == 201, response.text
        created = response.json()
        assert (created["symbol"], created["status"], created["votes"]) == (
            "ETHUSDT",
            "pending",
            [],
        )
        pending = (await api.get(f"{SIGNALS}/pending", headers=READ)).json()
        assert [s["id"] for s in pending] == [created["id"]]

    async def test_invalid_input_is_422_and_stores_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        for bad in ({"strength": 1.5}, {"direction": "UP"}, {"confidence": -0.1}, {"source": ""}):
            response = await post(api, **bad)
            assert_problem(response, 422, "validation-error")
            assert response.json()["errors"][0]["field"] == next(iter(bad))
        assert_problem(await post(api, symbol="NOPEUSDT"), 404, "unknown-symbol")
        assert await stored(session) == 0

    async def test_text_the_database_cannot_store_is_refused_as_the_schema_says(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        for bad in (
            {"payload": {"key\u0000": 1}},
            {"payload": {"nested": [{"deep": "x\u0000"}]}},
            {"source": "bot\u0000"},
            {"timeframe": "\ud800"},  # a lone surrogate: no UTF-8 form
        ):
            # As JSON escapes: a client's encoder (httpx's) would not send the surrogate raw.
            content = json.dumps(body(**bad))
            response = await api.post(
                SIGNALS, content=content, headers={**TRADE, "Content-Type": "application/json"}
            )
            assert_problem(response, 422, "validation-error")
            assert response.json()["errors"][0]["field"].startswith(next(iter(bad)))
        assert await stored(session) == 0

    async def test_an_expiry_outside_the_time_window_is_refused_and_stores_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """Both were accepted, and PostgreSQL stored `infinity` and `-infinity`."""
        for expires_at in ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00Z"):
            problem = assert_problem(
                await post(api, expires_at=expires_at), 422, "validation-error"
            )
            assert [(e["field"], e["code"]) for e in problem["errors"]] == [
                ("expires_at", "datetime_window")
            ]
        assert await stored(session) == 0


class TestPayloadBounds:
    async def test_a_payload_at_the_cap_is_kept_and_one_byte_over_is_refused(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        def of_size(size: int) -> dict[str, str]:
            frame = len(json.dumps({"note": ""}, separators=(",", ":")))
            return {"note": "x" * (size - frame)}

        kept = await post(api, payload=of_size(MAX_PAYLOAD_BYTES))
        assert kept.status_code == 201, kept.text
        refused = await post(api, payload=of_size(MAX_PAYLOAD_BYTES + 1))
        problem = assert_problem(refused, 422, "validation-error")
        assert [(e["field"], e["code"]) for e in problem["errors"]] == [("payload", "too_large")]
        assert await stored(session) == 1

    async def test_a_lone_surrogate_in_a_payload_is_refused_as_text_the_database_cannot_store(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        text = json.dumps(body(payload={"note": "x"})).replace('"x"', '"\\ud800"')
        headers = {**TRADE, "content-type": "application/json"}
        response = await api.post(SIGNALS, content=text, headers=headers)
        problem = assert_problem(response, 422, "validation-error")
        assert problem["errors"][0]["field"].startswith("payload"), problem
        assert "codec" not in problem["detail"]
        assert await stored(session) == 0

    async def test_unstorable_text_in_a_payload_is_refused_in_words_where_it_is(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """It was `payload.a.dict[constrained-str,...]: Input should be a valid dictionary`,
        an error per member of the JSON union the value failed."""
        headers = {**TRADE, "content-type": "application/json"}
        cases = {  # the payload as JSON text, where the refusal points, and what it says
            '{"a": "x\\u0000"}': ("payload.a", "must not hold a NUL character (\\u0000)"),
            '{"a": "\\ud800"}': ("payload.a", "must not hold half of a UTF-16 surrogate pair"),
            '{"a": [1, {"b": "\\u0000"}]}': ("payload.a.1.b", "must not hold a NUL character"),
            '{"k\\u0000": 1}': ("payload", "must not have a key holding a NUL character"),
        }
        for payload, (field, words) in cases.items():
            text = json.dumps(body(payload="MARK")).replace('"MARK"', payload)
            response = await api.post(SIGNALS, content=text, headers=headers)
            problem = assert_problem(response, 422, "validation-error")
            assert str(problem["detail"]).startswith(f"{field}: {words}"), problem["detail"]
            [error] = problem["errors"]
            assert (error["field"], error["location"]) == (field, "body"), problem
        assert await stored(session) == 0

    async def test_a_payload_nested_too_deep_is_refused(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        deep: dict[str, Any] = {"leaf": 1}
        for _ in range(MAX_PAYLOAD_DEPTH - 1):
            deep = {"next": deep}
        assert (await post(api, payload=deep)).status_code == 201
        problem = assert_problem(await post(api, payload={"next": deep}), 422, "validation-error")
        assert problem["errors"][0]["code"] == "too_deep"
        assert await stored(session) == 1

    async def test_lists_leave_payloads_out_and_the_single_read_gives_it(
        self, api: httpx.AsyncClient
    ) -> None:
        payload = {"level": 151.2, "note": "y" * 2000}
        created = (await post(api, payload=payload)).json()
        pending = (await api.get(f"{SIGNALS}/pending", headers=READ)).json()
        assert [s["id"] for s in pending] == [created["id"]] and "payload" not in pending[0]
        processed = (await api.post(f"{SIGNALS}/process", headers=TRADE)).json()
        assert "payload" not in processed[0]
        decided = (await api.get(f"{SIGNALS}/processed", headers=READ)).json()
        assert [s["id"] for s in decided] == [created["id"]] and "payload" not in decided[0]
        one = (await api.get(f"{SIGNALS}/{created['id']}", headers=READ)).json()
        assert one["payload"] == payload


class TestEvaluate:
    async def test_each_agent_votes_and_the_consensus_decides(self, api: httpx.AsyncClient) -> None:
        top = (await ranked(api))[0]
        created = (await post(api, symbol=top)).json()
        processed = (await api.post(f"{SIGNALS}/process", headers=TRADE)).json()
        [signal] = [s for s in processed if s["id"] == created["id"]]
        assert {v["agent"] for v in signal["votes"]} == {
            "technical",
            "fundamental",
            "market_structure",
            "risk",
        }
        assert all(v["decision"] in ("approve", "reject", "abstain") for v in signal["votes"])
        assert signal["outcome"] in ("approved", "rejected", "no_quorum")
        assert signal["status"] == ("approved" if signal["outcome"] == "approved" else "rejected")
        consensus = signal["consensus"]
        support = sum(v["confidence"] for v in signal["votes"] if v["decision"] == "approve")
        assert consensus["support"] == round(support, 6)
        one = (await api.get(f"{SIGNALS}/{created['id']}", headers=READ)).json()
        assert one == {**signal, "payload": body()["payload"]}

    async def test_the_consensus_rule_is_the_runtime_settings(self, api: httpx.AsyncClient) -> None:
        listed = (await api.get(f"{BASE}/config", headers=ADMIN)).json()["settings"]
        keys = {item["key"]: item["value"] for item in listed}
        assert (keys["signal_quorum"], keys["signal_approve_share"]) == (2, 0.5)
        assert keys["signal_max_funding_carry_bps"] == 10.0
        # Any approving weight short of all of it fails a share of 1; no vote reaches a quorum of 5
        # (refused: there are four agents).
        changed = await api.put(
            f"{BASE}/config", json={"values": {"signal_approve_share": 1.0}}, headers=ADMIN
        )
        assert changed.status_code == 200, changed.text
        refused = await api.put(
            f"{BASE}/config", json={"values": {"signal_quorum": 5}}, headers=ADMIN
        )
        assert refused.status_code == 422
        top = (await ranked(api))[0]
        created = (await post(api, symbol=top)).json()
        await api.post(f"{SIGNALS}/process", headers=TRADE)
        signal = (await api.get(f"{SIGNALS}/{created['id']}", headers=READ)).json()
        assert len([v for v in signal["votes"] if v["decision"] != "abstain"]) >= 2  # a quorum
        assert signal["outcome"] == "rejected"  # support / (support + opposition) is at most 1

    async def test_a_market_wide_signal_has_no_quorum(self, api: httpx.AsyncClient) -> None:
        created = (await post(api, symbol=None)).json()
        await api.post(f"{SIGNALS}/process", headers=TRADE)
        signal = (await api.get(f"{SIGNALS}/{created['id']}", headers=READ)).json()
        assert (signal["status"], signal["outcome"]) == ("rejected", "no_quorum")
        assert all(v["decision"] == "abstain" for v in signal["votes"])

    async def test_an_expired_signal_is_closed_without_votes(self, api: httpx.AsyncClient) -> None:
        past = (utcnow() - timedelta(minutes=1)).isoformat()
        created = (await post(api, expires_at=past)).json()
        await api.post(f"{SIGNALS}/process", headers=TRADE)
        signal = (await api.get(f"{SIGNALS}/{created['id']}", headers=READ)).json()
        assert (signal["status"], signal["votes"]) == ("expired", [])


class TestReads:
    async def test_statistics_match_the_stored_signals(self, api: httpx.AsyncClient) -> None:
        await post(api, source="a", signal_type="MOMENTUM")
        await post(api, source="a", symbol=None)
        await post(api, source="b", expires_at=(utcnow() - timedelta(seconds=1)).isoformat())
        await api.post(f"{SIGNALS}/process", headers=TRADE)
        processed = (await api.get(f"{SIGNALS}/processed", headers=READ)).json()
        stats = (await api.get(f"{SIGNALS}/statistics", headers=READ)).json()
        assert stats["total"] == 3 == len(processed)
        assert stats["by_source"] == {"a": 2, "b": 1}
        assert stats["by_type"] == {"MOMENTUM": 1, "BREAKOUT": 2}
        statuses = [s["status"] for s in processed]
        assert stats["by_status"] == {s: statuses.count(s) for s in set(statuses)}
        decided = [s for s in statuses if s in ("approved", "rejected")]
        assert stats["approval_rate"] == round(decided.count("approved") / len(decided), 6)
        assert stats["no_quorum"] == 1
        only_b = (
            await api.get(f"{SIGNALS}/processed", params={"source": "b"}, headers=READ)
        ).json()
        assert [s["source"] for s in only_b] == ["b"]

    async def test_unknown_signal_is_404_and_writes_need_trade(
        self, api: httpx.AsyncClient
    ) -> None:
        assert_problem(await api.get(f"{SIGNALS}/999999", headers=READ), 404, "not-found")
        assert_problem(await api.post(SIGNALS, json=body(), headers=READ), 403, "forbidden")


class TestPortfolioLink:
    async def test_an_approved_buy_on_a_stronger_outsider_is_proposed_not_executed(
        self, api: httpx.AsyncClient, session: AsyncSession, sim_app: FastAPI
    ) -> None:
        ranked_symbols = await ranked(api)
        for symbol in ranked_symbols[1:3]:  # the best-ranked symbol stays outside
            await api.post(f"{BASE}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE)
        created = (await post(api, symbol=ranked_symbols[0])).json()
        service = signal_service(session, sim_app.state.app_state.gateway)
        signal = await service.get(created["id"])
        await service._nominate(signal, 0.9)
        [event] = (
            await session.scalars(
                select(EventOutbox).where(EventOutbox.kind == "replacement_proposed")
            )
        ).all()
        assert event.payload["outsider"] == ranked_symbols[0]
        assert event.payload["member"] == ranked_symbols[2]  # the weaker of the two members
        assert event.payload["signal_id"] == created["id"]
        members = (await api.get(f"{BASE}/portfolio", headers=READ)).json()["members"]
        assert [m["symbol"] for m in members] == ranked_symbols[1:3]  # nothing executed
