from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_weights_method import GetWeightsMethod
from ...models.problem import Problem
from ...models.weights_read import WeightsRead
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    method: GetWeightsMethod | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_method: str | Unset = UNSET
    if not isinstance(method, Unset):
        json_method = method

    params["method"] = json_method

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/portfolio/weights",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WeightsRead | None:
    if response.status_code == 200:
        response_200 = WeightsRead.from_dict(response.json())

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
) -> Response[Problem | WeightsRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    method: GetWeightsMethod | Unset = UNSET,
) -> Response[Problem | WeightsRead]:
    """Target weights: what the weighting method gives the current members now

     What the configured method (`weighting_method`, or `?method=`) gives the current members from
    the latest scores and stored market data, within the weight caps, and what it read. These are
    targets: the members' own weights (`GET /portfolio`) move to them only when a rebalance or a
    membership change sets them. 409 when the caps cannot all hold or the market data is too short
    for the method. Role: read.

    Args:
        method (GetWeightsMethod | Unset): Override the configured weighting_method.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WeightsRead]
    """

    kwargs = _get_kwargs(
        method=method,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    method: GetWeightsMethod | Unset = UNSET,
) -> Problem | WeightsRead | None:
    """Target weights: what the weighting method gives the current members now

     What the configured method (`weighting_method`, or `?method=`) gives the current members from
    the latest scores and stored market data, within the weight caps, and what it read. These are
    targets: the members' own weights (`GET /portfolio`) move to them only when a rebalance or a
    membership change sets them. 409 when the caps cannot all hold or the market data is too short
    for the method. Role: read.

    Args:
        method (GetWeightsMethod | Unset): Override the configured weighting_method.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WeightsRead
    """

    return sync_detailed(
        client=client,
        method=method,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    method: GetWeightsMethod | Unset = UNSET,
) -> Response[Problem | WeightsRead]:
    """Target weights: what the weighting method gives the current members now

     What the configured method (`weighting_method`, or `?method=`) gives the current members from
    the latest scores and stored market data, within the weight caps, and what it read. These are
    targets: the members' own weights (`GET /portfolio`) move to them only when a rebalance or a
    membership change sets them. 409 when the caps cannot all hold or the market data is too short
    for the method. Role: read.

    Args:
        method (GetWeightsMethod | Unset): Override the configured weighting_method.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WeightsRead]
    """

    kwargs = _get_kwargs(
        method=method,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    method: GetWeightsMethod | Unset = UNSET,
) -> Problem | WeightsRead | None:
    """Target weights: what the weighting method gives the current members now

     What the configured method (`weighting_method`, or `?method=`) gives the current members from
    the latest scores and stored market data, within the weight caps, and what it read. These are
    targets: the members' own weights (`GET /portfolio`) move to them only when a rebalance or a
    membership change sets them. 409 when the caps cannot all hold or the market data is too short
    for the method. Role: read.

    Args:
        method (GetWeightsMethod | Unset): Override the configured weighting_method.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WeightsRead
    """

    return (
        await asyncio_detailed(
            client=client,
            method=method,
        )
    ).parsed
