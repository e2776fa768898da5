"""freqtrade interop: the portfolio as a RemotePairList."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.platform.http.auth import ReaderDep
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedRead
from app.portfolio.dependencies import MySymbolsDep
from app.portfolio.schemas import WEIGHTS_AS_OF

router = resource_router("", "interop")


class Pairlist(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pairs": ["BTC/USDT:USDT", "ETH/USDT:USDT"],
                    "refresh_period": 900,
                    "ranks": {"BTC/USDT:USDT": 1, "ETH/USDT:USDT": 2},
                    "weights": {"BTC/USDT:USDT": 55.0, "ETH/USDT:USDT": 45.0},
                    "weights_as_of": "2026-11-21T14:00:02Z",
                }
            ]
        }
    )

    pairs: list[str] = Field(description="Members by rank, in ccxt's unified futures form.")
    refresh_period: int = Field(description="Seconds between scoring runs (the list may change).")
    ranks: dict[str, int] = Field(
        description="Each pair's rank (1 = first); freqtrade ignores it, a strategy may read it."
    )
    weights: dict[str, float] = Field(
        description="Each pair's weight, percent (summing to 100), as the last change set it: "
        "for stake sizing."
    )
    weights_as_of: datetime | None = Field(description=WEIGHTS_AS_OF)


@router.get(
    "/pairlist",
    dependencies=[CachedRead],
    response_model=Pairlist,
    summary="The portfolio in freqtrade's RemotePairList format, with ranks and weights",
    description='Point freqtrade at it: `{"method": "RemotePairList", "pairlist_url": '
    '"http://…/api/symbol-mgmt/pairlist", "number_assets": 10, "refresh_period": 900}`; the key '
    "goes in `X-API-Key` or `Authorization: Bearer`, or set MYSYMBOLS_AUTH__OPEN_READS. "
    "`ranks`, `weights` and `weights_as_of` are extras (freqtrade ignores unknown keys; a "
    "`custom_stake_amount` callback can read them): the weights are those `GET /portfolio` "
    "holds, set by the last membership change or rebalance, not by each scoring run. Pairs are "
    "the forms stored at the last universe sync: a member KuCoin no longer lists keeps its "
    "pair (see `listed` in `GET /portfolio`).",
)
async def get_pairlist(_: ReaderDep, service: MySymbolsDep) -> Pairlist:
    view = await service.get_pairlist()
    return Pairlist(
        pairs=view.pairs,
        refresh_period=view.refresh_period,
        ranks=view.ranks,
        weights=view.weights,
        weights_as_of=view.weights_as_of,
    )
