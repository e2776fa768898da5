from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_rankings_component import GetRankingsComponent
from ...models.problem import Problem
from ...models.rankings_read import RankingsRead
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    component: GetRankingsComponent | Unset = "composite",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_component: str | Unset = UNSET
    if not isinstance(component, Unset):
        json_component = component

    params["component"] = json_component

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/scoring/rankings",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RankingsRead | None:
    if response.status_code == 200:
        response_200 = RankingsRead.from_dict(response.json())

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
) -> Response[Problem | RankingsRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    component: GetRankingsComponent | Unset = "composite",
) -> Response[Problem | RankingsRead]:
    """Symbols of the latest run, best first, by composite or one component

     The latest run that scored anything: its contracts best first by the composite (or by one
    `component`), each with its component scores, confidence and data age; `stale` once the run is
    older than `stale_data_limit_s`. 404 before any run scored. Role: read.

    Args:
        limit (int | Unset):  Default: 50.
        component (GetRankingsComponent | Unset):  Default: 'composite'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RankingsRead]
    """

    kwargs = _get_kwargs(
        limit=limit,
        component=component,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    component: GetRankingsComponent | Unset = "composite",
) -> Problem | RankingsRead | None:
    """Symbols of the latest run, best first, by composite or one component

     The latest run that scored anything: its contracts best first by the composite (or by one
    `component`), each with its component scores, confidence and data age; `stale` once the run is
    older than `stale_data_limit_s`. 404 before any run scored. Role: read.

    Args:
        limit (int | Unset):  Default: 50.
        component (GetRankingsComponent | Unset):  Default: 'composite'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RankingsRead
    """

    return sync_detailed(
        client=client,
        limit=limit,
        component=component,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    component: GetRankingsComponent | Unset = "composite",
) -> Response[Problem | RankingsRead]:
    """Symbols of the latest run, best first, by composite or one component

     The latest run that scored anything: its contracts best first by the composite (or by one
    `component`), each with its component scores, confidence and data age; `stale` once the run is
    older than `stale_data_limit_s`. 404 before any run scored. Role: read.

    Args:
        limit (int | Unset):  Default: 50.
        component (GetRankingsComponent | Unset):  Default: 'composite'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RankingsRead]
    """

    kwargs = _get_kwargs(
        limit=limit,
        component=component,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    component: GetRankingsComponent | Unset = "composite",
) -> Problem | RankingsRead | None:
    """Symbols of the latest run, best first, by composite or one component

     The latest run that scored anything: its contracts best first by the composite (or by one
    `component`), each with its component scores, confidence and data age; `stale` once the run is
    older than `stale_data_limit_s`. 404 before any run scored. Role: read.

    Args:
        limit (int | Unset):  Default: 50.
        component (GetRankingsComponent | Unset):  Default: 'composite'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RankingsRead
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            component=component,
        )
    ).parsed
