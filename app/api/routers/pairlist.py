"""freqtrade interop: the portfolio as a RemotePairList."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import MySymbolsDep, ReaderDep
from app.api.response_cache import CachedRead
from app.schemas.common import problem_responses

router = APIRouter(tags=["interop"], responses=problem_responses(401, 403))


class Pairlist(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"pairs": ["BTC/USDT:USDT", "ETH/USDT:USDT"], "refresh_period": 900}]
        }
    )

    pairs: list[str] = Field(description="Members by rank, in ccxt's unified futures form.")
    refresh_period: int = Field(description="Seconds until the list may change (score refresh).")


@router.get(
    "/pairlist",
    dependencies=[CachedRead],
    response_model=Pairlist,
    summary="The portfolio in freqtrade's RemotePairList format",
    description='Point freqtrade at it: `{"method": "RemotePairList", "pairlist_url": '
    '"http://…/api/symbol-mgmt/pairlist", "number_assets": 10, "refresh_period": 900}`; the key '
    "goes in `X-API-Key` or `Authorization: Bearer`, or set MYSYMBOLS_AUTH__OPEN_READS.",
)
async def get_pairlist(_: ReaderDep, service: MySymbolsDep) -> Pairlist:
    pairs, refresh = await service.get_pairlist()
    return Pairlist(pairs=pairs, refresh_period=refresh)
