from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.symbol_scores_read import SymbolScoresRead
from ...types import UNSET, Response, Unset


def _get_kwargs(
    symbol: str,
    *,
    limit: int | Unset = 20,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/scoring/symbol/{symbol}/scores".format(
            symbol=quote(str(symbol), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SymbolScoresRead | None:
    if response.status_code == 200:
        response_200 = SymbolScoresRead.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SymbolScoresRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    symbol: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
) -> Response[Problem | SymbolScoresRead]:
    """A symbol's scores with breakdowns over its newest runs (any symbol form)

     The contract's category and what decided it, whether it is excluded and why, and its scores
    in its `limit` newest runs, each component's metrics with raw value, normalised value, weight
    and contribution. 404 for no such contract. Role: read.

    Args:
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and
            digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator,
            not a symbol's).
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SymbolScoresRead]
    """

    kwargs = _get_kwargs(
        symbol=symbol,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    symbol: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
) -> Problem | SymbolScoresRead | None:
    """A symbol's scores with breakdowns over its newest runs (any symbol form)

     The contract's category and what decided it, whether it is excluded and why, and its scores
    in its `limit` newest runs, each component's metrics with raw value, normalised value, weight
    and contribution. 404 for no such contract. Role: read.

    Args:
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and
            digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator,
            not a symbol's).
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SymbolScoresRead
    """

    return sync_detailed(
        symbol=symbol,
        client=client,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    symbol: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
) -> Response[Problem | SymbolScoresRead]:
    """A symbol's scores with breakdowns over its newest runs (any symbol form)

     The contract's category and what decided it, whether it is excluded and why, and its scores
    in its `limit` newest runs, each component's metrics with raw value, normalised value, weight
    and contribution. 404 for no such contract. Role: read.

    Args:
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and
            digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator,
            not a symbol's).
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SymbolScoresRead]
    """

    kwargs = _get_kwargs(
        symbol=symbol,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    symbol: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
) -> Problem | SymbolScoresRead | None:
    """A symbol's scores with breakdowns over its newest runs (any symbol form)

     The contract's category and what decided it, whether it is excluded and why, and its scores
    in its `limit` newest runs, each component's metrics with raw value, normalised value, weight
    and contribution. 404 for no such contract. Role: read.

    Args:
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and
            digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator,
            not a symbol's).
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SymbolScoresRead
    """

    return (
        await asyncio_detailed(
            symbol=symbol,
            client=client,
            limit=limit,
        )
    ).parsed
