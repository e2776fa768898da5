from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.status import Status
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/status",
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Status | None:
    if response.status_code == 200:
        response_200 = Status.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
        response_503 = Status.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Status]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | Status]:
    """Readiness: database, migrations and the first start; the checks with a key

     `200` with `ready: true` when this replica should take traffic; `503` with `ready: false` when the
    database is unreachable, its migrations are not at head or the first start has not finished (a
    readiness probe needs no key). Without a key the answer is `status` and `ready` only; a key with the
    `read` role (or open reads) adds the checks: database, market-data source, jobs, first-start
    progress, KuCoin budget. The answer without a key is computed at most once a second and shared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Status]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> Problem | Status | None:
    """Readiness: database, migrations and the first start; the checks with a key

     `200` with `ready: true` when this replica should take traffic; `503` with `ready: false` when the
    database is unreachable, its migrations are not at head or the first start has not finished (a
    readiness probe needs no key). Without a key the answer is `status` and `ready` only; a key with the
    `read` role (or open reads) adds the checks: database, market-data source, jobs, first-start
    progress, KuCoin budget. The answer without a key is computed at most once a second and shared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Status
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | Status]:
    """Readiness: database, migrations and the first start; the checks with a key

     `200` with `ready: true` when this replica should take traffic; `503` with `ready: false` when the
    database is unreachable, its migrations are not at head or the first start has not finished (a
    readiness probe needs no key). Without a key the answer is `status` and `ready` only; a key with the
    `read` role (or open reads) adds the checks: database, market-data source, jobs, first-start
    progress, KuCoin budget. The answer without a key is computed at most once a second and shared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Status]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> Problem | Status | None:
    """Readiness: database, migrations and the first start; the checks with a key

     `200` with `ready: true` when this replica should take traffic; `503` with `ready: false` when the
    database is unreachable, its migrations are not at head or the first start has not finished (a
    readiness probe needs no key). Without a key the answer is `status` and `ready` only; a key with the
    `read` role (or open reads) adds the checks: database, market-data source, jobs, first-start
    progress, KuCoin budget. The answer without a key is computed at most once a second and shared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Status
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
