from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.pairlist import Pairlist
from ...models.problem import Problem
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/pairlist",
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Pairlist | Problem | None:
    if response.status_code == 200:
        response_200 = Pairlist.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 406:
        response_406 = Problem.from_dict(response.json())

        return response_406

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Pairlist | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Pairlist | Problem]:
    """The portfolio in freqtrade's RemotePairList format, with ranks and weights

     Point freqtrade at it: `{"method": "RemotePairList", "pairlist_url": "http://…/api/symbol-
    mgmt/pairlist", "number_assets": 10, "refresh_period": 900}`; the key goes in `X-API-Key` or
    `Authorization: Bearer`, or set MYSYMBOLS_AUTH__OPEN_READS. `ranks`, `weights` and `weights_as_of`
    are extras (freqtrade ignores unknown keys; a `custom_stake_amount` callback can read them): the
    weights are those `GET /portfolio` holds, set by the last membership change or rebalance, not by
    each scoring run. Pairs are the forms stored at the last universe sync: a member KuCoin no longer
    lists keeps its pair (see `listed` in `GET /portfolio`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Pairlist | Problem]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> Pairlist | Problem | None:
    """The portfolio in freqtrade's RemotePairList format, with ranks and weights

     Point freqtrade at it: `{"method": "RemotePairList", "pairlist_url": "http://…/api/symbol-
    mgmt/pairlist", "number_assets": 10, "refresh_period": 900}`; the key goes in `X-API-Key` or
    `Authorization: Bearer`, or set MYSYMBOLS_AUTH__OPEN_READS. `ranks`, `weights` and `weights_as_of`
    are extras (freqtrade ignores unknown keys; a `custom_stake_amount` callback can read them): the
    weights are those `GET /portfolio` holds, set by the last membership change or rebalance, not by
    each scoring run. Pairs are the forms stored at the last universe sync: a member KuCoin no longer
    lists keeps its pair (see `listed` in `GET /portfolio`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Pairlist | Problem
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Pairlist | Problem]:
    """The portfolio in freqtrade's RemotePairList format, with ranks and weights

     Point freqtrade at it: `{"method": "RemotePairList", "pairlist_url": "http://…/api/symbol-
    mgmt/pairlist", "number_assets": 10, "refresh_period": 900}`; the key goes in `X-API-Key` or
    `Authorization: Bearer`, or set MYSYMBOLS_AUTH__OPEN_READS. `ranks`, `weights` and `weights_as_of`
    are extras (freqtrade ignores unknown keys; a `custom_stake_amount` callback can read them): the
    weights are those `GET /portfolio` holds, set by the last membership change or rebalance, not by
    each scoring run. Pairs are the forms stored at the last universe sync: a member KuCoin no longer
    lists keeps its pair (see `listed` in `GET /portfolio`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Pairlist | Problem]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> Pairlist | Problem | None:
    """The portfolio in freqtrade's RemotePairList format, with ranks and weights

     Point freqtrade at it: `{"method": "RemotePairList", "pairlist_url": "http://…/api/symbol-
    mgmt/pairlist", "number_assets": 10, "refresh_period": 900}`; the key goes in `X-API-Key` or
    `Authorization: Bearer`, or set MYSYMBOLS_AUTH__OPEN_READS. `ranks`, `weights` and `weights_as_of`
    are extras (freqtrade ignores unknown keys; a `custom_stake_amount` callback can read them): the
    weights are those `GET /portfolio` holds, set by the last membership change or rebalance, not by
    each scoring run. Pairs are the forms stored at the last universe sync: a member KuCoin no longer
    lists keeps its pair (see `listed` in `GET /portfolio`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Pairlist | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
