from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_processed_signals_status import ListProcessedSignalsStatus
from ...models.problem import Problem
from ...models.signal_summary import SignalSummary
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListProcessedSignalsStatus | Unset = UNSET,
    source: str | Unset = UNSET,
    symbol: str | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    params["source"] = source

    params["symbol"] = symbol

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/signals/processed",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[SignalSummary] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = SignalSummary.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Problem | list[SignalSummary]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ListProcessedSignalsStatus | Unset = UNSET,
    source: str | Unset = UNSET,
    symbol: str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Problem | list[SignalSummary]]:
    """Evaluated or expired signals (without payloads: the single read gives one)

     Approved, rejected and expired signals, newest first; `status`, `source` and `symbol` narrow
    them. 404 for a symbol naming no contract. Role: read.

    Args:
        status (ListProcessedSignalsStatus | Unset):
        source (str | Unset):
        symbol (str | Unset): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt
            (letters and digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file
            name's separator, not a symbol's).
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[SignalSummary]]
    """

    kwargs = _get_kwargs(
        status=status,
        source=source,
        symbol=symbol,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: ListProcessedSignalsStatus | Unset = UNSET,
    source: str | Unset = UNSET,
    symbol: str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Problem | list[SignalSummary] | None:
    """Evaluated or expired signals (without payloads: the single read gives one)

     Approved, rejected and expired signals, newest first; `status`, `source` and `symbol` narrow
    them. 404 for a symbol naming no contract. Role: read.

    Args:
        status (ListProcessedSignalsStatus | Unset):
        source (str | Unset):
        symbol (str | Unset): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt
            (letters and digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file
            name's separator, not a symbol's).
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[SignalSummary]
    """

    return sync_detailed(
        client=client,
        status=status,
        source=source,
        symbol=symbol,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ListProcessedSignalsStatus | Unset = UNSET,
    source: str | Unset = UNSET,
    symbol: str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Problem | list[SignalSummary]]:
    """Evaluated or expired signals (without payloads: the single read gives one)

     Approved, rejected and expired signals, newest first; `status`, `source` and `symbol` narrow
    them. 404 for a symbol naming no contract. Role: read.

    Args:
        status (ListProcessedSignalsStatus | Unset):
        source (str | Unset):
        symbol (str | Unset): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt
            (letters and digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file
            name's separator, not a symbol's).
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[SignalSummary]]
    """

    kwargs = _get_kwargs(
        status=status,
        source=source,
        symbol=symbol,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ListProcessedSignalsStatus | Unset = UNSET,
    source: str | Unset = UNSET,
    symbol: str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Problem | list[SignalSummary] | None:
    """Evaluated or expired signals (without payloads: the single read gives one)

     Approved, rejected and expired signals, newest first; `status`, `source` and `symbol` narrow
    them. 404 for a symbol naming no contract. Role: read.

    Args:
        status (ListProcessedSignalsStatus | Unset):
        source (str | Unset):
        symbol (str | Unset): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt
            (letters and digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file
            name's separator, not a symbol's).
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[SignalSummary]
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            source=source,
            symbol=symbol,
            limit=limit,
        )
    ).parsed
