from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.correlation_read import CorrelationRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    window: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["window"] = window

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/portfolio/correlation",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CorrelationRead | Problem | None:
    if response.status_code == 200:
        response_200 = CorrelationRead.from_dict(response.json())

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
) -> Response[CorrelationRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    window: int | Unset = UNSET,
) -> Response[CorrelationRead | Problem]:
    """Correlation of the members' hourly log returns: matrix, pairs, clusters, beta

     Over `window` hours of the members' hourly log returns (default: the runtime setting): the
    correlation matrix, the pairs above `correlation_limit`, the average, the groups that move
    together and each member's beta to BTC. A heavy read: after a change it may be answered
    `X-Cache: stale` for a few seconds while it is recomputed. Role: read.

    Args:
        window (int | Unset): Hours.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CorrelationRead | Problem]
    """

    kwargs = _get_kwargs(
        window=window,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    window: int | Unset = UNSET,
) -> CorrelationRead | Problem | None:
    """Correlation of the members' hourly log returns: matrix, pairs, clusters, beta

     Over `window` hours of the members' hourly log returns (default: the runtime setting): the
    correlation matrix, the pairs above `correlation_limit`, the average, the groups that move
    together and each member's beta to BTC. A heavy read: after a change it may be answered
    `X-Cache: stale` for a few seconds while it is recomputed. Role: read.

    Args:
        window (int | Unset): Hours.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CorrelationRead | Problem
    """

    return sync_detailed(
        client=client,
        window=window,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    window: int | Unset = UNSET,
) -> Response[CorrelationRead | Problem]:
    """Correlation of the members' hourly log returns: matrix, pairs, clusters, beta

     Over `window` hours of the members' hourly log returns (default: the runtime setting): the
    correlation matrix, the pairs above `correlation_limit`, the average, the groups that move
    together and each member's beta to BTC. A heavy read: after a change it may be answered
    `X-Cache: stale` for a few seconds while it is recomputed. Role: read.

    Args:
        window (int | Unset): Hours.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CorrelationRead | Problem]
    """

    kwargs = _get_kwargs(
        window=window,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    window: int | Unset = UNSET,
) -> CorrelationRead | Problem | None:
    """Correlation of the members' hourly log returns: matrix, pairs, clusters, beta

     Over `window` hours of the members' hourly log returns (default: the runtime setting): the
    correlation matrix, the pairs above `correlation_limit`, the average, the groups that move
    together and each member's beta to BTC. A heavy read: after a change it may be answered
    `X-Cache: stale` for a few seconds while it is recomputed. Role: read.

    Args:
        window (int | Unset): Hours.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CorrelationRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            window=window,
        )
    ).parsed
