from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.metrics_read import MetricsRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    window: int | Unset = 720,
    level: float | Unset = 0.95,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["window"] = window

    params["level"] = level

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/portfolio/metrics",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MetricsRead | Problem | None:
    if response.status_code == 200:
        response_200 = MetricsRead.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[MetricsRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    window: int | Unset = 720,
    level: float | Unset = 0.95,
) -> Response[MetricsRead | Problem]:
    """Sharpe, Sortino, Calmar, max drawdown, VaR and ES of the current weights

     The portfolio at its current weights over `window` hours of stored hourly returns: Sharpe,
    Sortino and Calmar ratios, maximum drawdown, and VaR and expected shortfall at `level`. 409 when
    fewer than two hourly returns are stored in the window. A heavy read: after a change it may be
    answered `X-Cache: stale` for a few seconds. Role: read.

    Args:
        window (int | Unset): Hours. Default: 720.
        level (float | Unset):  Default: 0.95.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MetricsRead | Problem]
    """

    kwargs = _get_kwargs(
        window=window,
        level=level,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    window: int | Unset = 720,
    level: float | Unset = 0.95,
) -> MetricsRead | Problem | None:
    """Sharpe, Sortino, Calmar, max drawdown, VaR and ES of the current weights

     The portfolio at its current weights over `window` hours of stored hourly returns: Sharpe,
    Sortino and Calmar ratios, maximum drawdown, and VaR and expected shortfall at `level`. 409 when
    fewer than two hourly returns are stored in the window. A heavy read: after a change it may be
    answered `X-Cache: stale` for a few seconds. Role: read.

    Args:
        window (int | Unset): Hours. Default: 720.
        level (float | Unset):  Default: 0.95.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MetricsRead | Problem
    """

    return sync_detailed(
        client=client,
        window=window,
        level=level,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    window: int | Unset = 720,
    level: float | Unset = 0.95,
) -> Response[MetricsRead | Problem]:
    """Sharpe, Sortino, Calmar, max drawdown, VaR and ES of the current weights

     The portfolio at its current weights over `window` hours of stored hourly returns: Sharpe,
    Sortino and Calmar ratios, maximum drawdown, and VaR and expected shortfall at `level`. 409 when
    fewer than two hourly returns are stored in the window. A heavy read: after a change it may be
    answered `X-Cache: stale` for a few seconds. Role: read.

    Args:
        window (int | Unset): Hours. Default: 720.
        level (float | Unset):  Default: 0.95.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MetricsRead | Problem]
    """

    kwargs = _get_kwargs(
        window=window,
        level=level,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    window: int | Unset = 720,
    level: float | Unset = 0.95,
) -> MetricsRead | Problem | None:
    """Sharpe, Sortino, Calmar, max drawdown, VaR and ES of the current weights

     The portfolio at its current weights over `window` hours of stored hourly returns: Sharpe,
    Sortino and Calmar ratios, maximum drawdown, and VaR and expected shortfall at `level`. 409 when
    fewer than two hourly returns are stored in the window. A heavy read: after a change it may be
    answered `X-Cache: stale` for a few seconds. Role: read.

    Args:
        window (int | Unset): Hours. Default: 720.
        level (float | Unset):  Default: 0.95.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MetricsRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            window=window,
            level=level,
        )
    ).parsed
