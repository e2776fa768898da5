from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.symbol_page import SymbolPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: str | Unset = UNSET,
    eligible: bool | Unset = UNSET,
    quote: str | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["status"] = status

    params["eligible"] = eligible

    params["quote"] = quote

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/symbols",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SymbolPage | None:
    if response.status_code == 200:
        response_200 = SymbolPage.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SymbolPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: str | Unset = UNSET,
    eligible: bool | Unset = UNSET,
    quote: str | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Response[Problem | SymbolPage]:
    """List synced symbols (last good data)

     The contracts as the last universe sync stored them (the last good data): each with its
    symbol forms, category, eligibility and market data, and how old that data is (`stale` past
    `stale_data_limit_s`). Filter by `status`, `eligible` and `quote`; page with `limit` and
    `offset` (`total` counts every match). Role: read.

    Args:
        status (str | Unset): e.g. Open, Delisted
        eligible (bool | Unset):
        quote (str | Unset):
        limit (int | Unset):  Default: 100.
        offset (int | Unset): Rows to skip. Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SymbolPage]
    """

    kwargs = _get_kwargs(
        status=status,
        eligible=eligible,
        quote=quote,
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: str | Unset = UNSET,
    eligible: bool | Unset = UNSET,
    quote: str | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Problem | SymbolPage | None:
    """List synced symbols (last good data)

     The contracts as the last universe sync stored them (the last good data): each with its
    symbol forms, category, eligibility and market data, and how old that data is (`stale` past
    `stale_data_limit_s`). Filter by `status`, `eligible` and `quote`; page with `limit` and
    `offset` (`total` counts every match). Role: read.

    Args:
        status (str | Unset): e.g. Open, Delisted
        eligible (bool | Unset):
        quote (str | Unset):
        limit (int | Unset):  Default: 100.
        offset (int | Unset): Rows to skip. Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SymbolPage
    """

    return sync_detailed(
        client=client,
        status=status,
        eligible=eligible,
        quote=quote,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: str | Unset = UNSET,
    eligible: bool | Unset = UNSET,
    quote: str | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Response[Problem | SymbolPage]:
    """List synced symbols (last good data)

     The contracts as the last universe sync stored them (the last good data): each with its
    symbol forms, category, eligibility and market data, and how old that data is (`stale` past
    `stale_data_limit_s`). Filter by `status`, `eligible` and `quote`; page with `limit` and
    `offset` (`total` counts every match). Role: read.

    Args:
        status (str | Unset): e.g. Open, Delisted
        eligible (bool | Unset):
        quote (str | Unset):
        limit (int | Unset):  Default: 100.
        offset (int | Unset): Rows to skip. Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SymbolPage]
    """

    kwargs = _get_kwargs(
        status=status,
        eligible=eligible,
        quote=quote,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: str | Unset = UNSET,
    eligible: bool | Unset = UNSET,
    quote: str | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Problem | SymbolPage | None:
    """List synced symbols (last good data)

     The contracts as the last universe sync stored them (the last good data): each with its
    symbol forms, category, eligibility and market data, and how old that data is (`stale` past
    `stale_data_limit_s`). Filter by `status`, `eligible` and `quote`; page with `limit` and
    `offset` (`total` counts every match). Role: read.

    Args:
        status (str | Unset): e.g. Open, Delisted
        eligible (bool | Unset):
        quote (str | Unset):
        limit (int | Unset):  Default: 100.
        offset (int | Unset): Rows to skip. Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SymbolPage
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            eligible=eligible,
            quote=quote,
            limit=limit,
            offset=offset,
        )
    ).parsed
