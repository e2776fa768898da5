from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.symbol_category_update import SymbolCategoryUpdate
from ...models.symbol_read import SymbolRead
from ...types import Response


def _get_kwargs(
    symbol: str,
    *,
    body: SymbolCategoryUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/symbol-mgmt/symbols/{symbol}/category".format(
            symbol=quote(str(symbol), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SymbolRead | None:
    if response.status_code == 200:
        response_200 = SymbolRead.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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
) -> Response[Problem | SymbolRead]:
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
    body: SymbolCategoryUpdate,
) -> Response[Problem | SymbolRead]:
    """Hold a symbol to a category (crypto, stablecoin, commodity, equity), or with null let the table and
    the peg rule decide again; audited as a configuration change

     A category holds the contract to it whatever the exchange or the data say; `null` lets them
    decide again. Recorded in `GET /config/changes` as `symbol_category:<SYMBOL>`; a category the
    runtime setting `excluded_categories` excludes keeps the contract out of the portfolio. 404 for
    no such contract. Role: admin.

    Args:
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and
            digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator,
            not a symbol's).
        body (SymbolCategoryUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SymbolRead]
    """

    kwargs = _get_kwargs(
        symbol=symbol,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    symbol: str,
    *,
    client: AuthenticatedClient,
    body: SymbolCategoryUpdate,
) -> Problem | SymbolRead | None:
    """Hold a symbol to a category (crypto, stablecoin, commodity, equity), or with null let the table and
    the peg rule decide again; audited as a configuration change

     A category holds the contract to it whatever the exchange or the data say; `null` lets them
    decide again. Recorded in `GET /config/changes` as `symbol_category:<SYMBOL>`; a category the
    runtime setting `excluded_categories` excludes keeps the contract out of the portfolio. 404 for
    no such contract. Role: admin.

    Args:
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and
            digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator,
            not a symbol's).
        body (SymbolCategoryUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SymbolRead
    """

    return sync_detailed(
        symbol=symbol,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    symbol: str,
    *,
    client: AuthenticatedClient,
    body: SymbolCategoryUpdate,
) -> Response[Problem | SymbolRead]:
    """Hold a symbol to a category (crypto, stablecoin, commodity, equity), or with null let the table and
    the peg rule decide again; audited as a configuration change

     A category holds the contract to it whatever the exchange or the data say; `null` lets them
    decide again. Recorded in `GET /config/changes` as `symbol_category:<SYMBOL>`; a category the
    runtime setting `excluded_categories` excludes keeps the contract out of the portfolio. 404 for
    no such contract. Role: admin.

    Args:
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and
            digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator,
            not a symbol's).
        body (SymbolCategoryUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SymbolRead]
    """

    kwargs = _get_kwargs(
        symbol=symbol,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    symbol: str,
    *,
    client: AuthenticatedClient,
    body: SymbolCategoryUpdate,
) -> Problem | SymbolRead | None:
    """Hold a symbol to a category (crypto, stablecoin, commodity, equity), or with null let the table and
    the peg rule decide again; audited as a configuration change

     A category holds the contract to it whatever the exchange or the data say; `null` lets them
    decide again. Recorded in `GET /config/changes` as `symbol_category:<SYMBOL>`; a category the
    runtime setting `excluded_categories` excludes keeps the contract out of the portfolio. 404 for
    no such contract. Role: admin.

    Args:
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and
            digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator,
            not a symbol's).
        body (SymbolCategoryUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SymbolRead
    """

    return (
        await asyncio_detailed(
            symbol=symbol,
            client=client,
            body=body,
        )
    ).parsed
