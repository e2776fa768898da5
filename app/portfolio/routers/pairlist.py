"""freqtrade interop: the portfolio as a RemotePairList."""

from __future__ import annotations

from app.platform.http.auth import ReaderDep
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedRead
from app.portfolio.dependencies import PortfolioReadDep
from app.portfolio.schemas.pairlist import Pairlist

router = resource_router("", "interop")


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
async def get_pairlist(_: ReaderDep, reads: PortfolioReadDep) -> Pairlist:
    return await reads.get_pairlist()
