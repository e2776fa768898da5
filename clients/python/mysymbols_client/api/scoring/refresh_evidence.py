from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.replay_summary import ReplaySummary
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    learned: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["learned"] = learned

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/symbol-mgmt/scoring/evidence/refresh",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ReplaySummary | None:
    if response.status_code == 202:
        response_202 = ReplaySummary.from_dict(response.json())

        return response_202

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
) -> Response[Problem | ReplaySummary]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    learned: bool | Unset = False,
) -> Response[Problem | ReplaySummary]:
    """Calibrate walk-forward on the whole stored history now (background run)

     Queues a walk-forward calibration over the whole stored history, as the scheduler does every
    `evidence_refresh_interval_s`: 202 with the run and its `Location` (`/replays/{id}`);
    `GET /scoring/evidence` answers from it once it succeeded. `learned` also trains the learned
    scorer in each fold (409 `scorer-not-installed` without its `learned` extra: `pip install
    'mysymbols[learned]'`). 409 while one is queued or running. Role: admin.

    Args:
        learned (bool | Unset): Also train the learned scorer per fold and let it be weighed.
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReplaySummary]
    """

    kwargs = _get_kwargs(
        learned=learned,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    learned: bool | Unset = False,
) -> Problem | ReplaySummary | None:
    """Calibrate walk-forward on the whole stored history now (background run)

     Queues a walk-forward calibration over the whole stored history, as the scheduler does every
    `evidence_refresh_interval_s`: 202 with the run and its `Location` (`/replays/{id}`);
    `GET /scoring/evidence` answers from it once it succeeded. `learned` also trains the learned
    scorer in each fold (409 `scorer-not-installed` without its `learned` extra: `pip install
    'mysymbols[learned]'`). 409 while one is queued or running. Role: admin.

    Args:
        learned (bool | Unset): Also train the learned scorer per fold and let it be weighed.
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReplaySummary
    """

    return sync_detailed(
        client=client,
        learned=learned,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    learned: bool | Unset = False,
) -> Response[Problem | ReplaySummary]:
    """Calibrate walk-forward on the whole stored history now (background run)

     Queues a walk-forward calibration over the whole stored history, as the scheduler does every
    `evidence_refresh_interval_s`: 202 with the run and its `Location` (`/replays/{id}`);
    `GET /scoring/evidence` answers from it once it succeeded. `learned` also trains the learned
    scorer in each fold (409 `scorer-not-installed` without its `learned` extra: `pip install
    'mysymbols[learned]'`). 409 while one is queued or running. Role: admin.

    Args:
        learned (bool | Unset): Also train the learned scorer per fold and let it be weighed.
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReplaySummary]
    """

    kwargs = _get_kwargs(
        learned=learned,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    learned: bool | Unset = False,
) -> Problem | ReplaySummary | None:
    """Calibrate walk-forward on the whole stored history now (background run)

     Queues a walk-forward calibration over the whole stored history, as the scheduler does every
    `evidence_refresh_interval_s`: 202 with the run and its `Location` (`/replays/{id}`);
    `GET /scoring/evidence` answers from it once it succeeded. `learned` also trains the learned
    scorer in each fold (409 `scorer-not-installed` without its `learned` extra: `pip install
    'mysymbols[learned]'`). 409 while one is queued or running. Role: admin.

    Args:
        learned (bool | Unset): Also train the learned scorer per fold and let it be weighed.
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReplaySummary
    """

    return (
        await asyncio_detailed(
            client=client,
            learned=learned,
        )
    ).parsed
