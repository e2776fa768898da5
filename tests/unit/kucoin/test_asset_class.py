"""KuCoin's `assetClass` reaches `Contract.asset_class` as sent; rows before 2026 have none."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.kucoin.models import Contract
from tests.shared_data import kucoin_fixture

# Copied, not read in place: ../shared has no recording with `assetClass` (SOURCES.md beside it).
RECORDED_2026 = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "kucoin"
    / "futures_contracts_active_2026-10-03_trimmed.json"
)


def rows_2026() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(RECORDED_2026.read_text())["data"]
    return rows


def contracts_2026() -> dict[str, Contract]:
    contracts = (Contract.model_validate(row) for row in rows_2026())
    return {contract.symbol: contract for contract in contracts}


class TestAssetClass:
    def test_every_row_of_the_2026_recording_parses(self) -> None:
        contracts = contracts_2026()
        assert len(contracts) == len(rows_2026()) == 11
        assert all(c.asset_class in ("CRYPTO", "STOCK", "METAL") for c in contracts.values())

    @pytest.mark.parametrize(
        ("symbol", "asset_class"),
        [
            ("AAOIUSDTM", "STOCK"),  # a US stock
            ("BYDUSDTM", "STOCK"),  # a Hong Kong stock: `marketType` says NASDAQ all the same
            ("PAXGUSDTM", "METAL"),  # a gold token, though its `marketType` says CRYPTO
            ("XBTUSDTM", "CRYPTO"),
            ("BPUSDTM", "CRYPTO"),  # pre-market
        ],
    )
    def test_the_row_says_what_the_underlying_is(self, symbol: str, asset_class: str) -> None:
        assert contracts_2026()[symbol].asset_class == asset_class

    def test_a_2025_row_has_none(self) -> None:
        rows = kucoin_fixture("futures_contracts_active_2025-05-08_static_fields_only.json")
        contracts = [Contract.model_validate(row) for row in rows]
        paxg = next(c for c in contracts if c.symbol == "PAXGUSDTM")
        assert paxg.asset_class is None
        assert all(c.asset_class is None for c in contracts)

    @pytest.mark.parametrize("value", [None, "", "  ", 3, ["STOCK"], {"class": "STOCK"}])
    def test_anything_but_a_word_is_none(self, value: object) -> None:
        row = {**rows_2026()[0], "assetClass": value}
        assert Contract.model_validate(row).asset_class is None

    def test_an_unknown_word_is_kept_as_sent(self) -> None:
        row = {**rows_2026()[0], "assetClass": "FOREX"}
        assert Contract.model_validate(row).asset_class == "FOREX"
