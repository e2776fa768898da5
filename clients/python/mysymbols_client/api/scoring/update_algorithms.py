from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.algorithms_change_read import AlgorithmsChangeRead
from ...models.algorithms_update import AlgorithmsUpdate
from ...models.problem import Problem
from ...models.replay_summary import ReplaySummary
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: AlgorithmsUpdate,
    dry_run: bool | Unset = False,
    wait: float | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["dry_run"] = dry_run

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/symbol-mgmt/scoring/algorithms",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AlgorithmsChangeRead | Problem | ReplaySummary | None:
    if response.status_code == 200:
        response_200 = AlgorithmsChangeRead.from_dict(response.json())

        return response_200

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
) -> Response[AlgorithmsChangeRead | Problem | ReplaySummary]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AlgorithmsUpdate,
    dry_run: bool | Unset = False,
    wait: float | Unset = UNSET,
) -> Response[AlgorithmsChangeRead | Problem | ReplaySummary]:
    """Change component weights/parameters (active weights must sum to 1), judged by a replay of the stored
    history; ?dry_run=true only judges, as a background run

     Applied: the replay runs in the evidence worker while the request holds no database connection, then
    the change is recorded with it (409 if the algorithm changed meanwhile; 409 `scorer-not-installed`,
    dry or not, for a change that weighs or configures the learned scorer where its `learned` extra is
    not installed: one that stops weighing it passes). Dry run: a `what_if` replay run, 202 with its
    Location (`/replays/{id}`); with ?wait=, the judged proposal once the run ends in time. Too little
    stored history to judge: 200 at once, with `evidence_unavailable` saying why.

    Args:
        dry_run (bool | Unset): Replay the proposal beside the current weights; change nothing.
            Default: False.
        wait (float | Unset): Wait up to this many seconds for the run to end and answer with its
            result (or its problem), as before; still running then: 202.
        body (AlgorithmsUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlgorithmsChangeRead | Problem | ReplaySummary]
    """

    kwargs = _get_kwargs(
        body=body,
        dry_run=dry_run,
        wait=wait,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: AlgorithmsUpdate,
    dry_run: bool | Unset = False,
    wait: float | Unset = UNSET,
) -> AlgorithmsChangeRead | Problem | ReplaySummary | None:
    """Change component weights/parameters (active weights must sum to 1), judged by a replay of the stored
    history; ?dry_run=true only judges, as a background run

     Applied: the replay runs in the evidence worker while the request holds no database connection, then
    the change is recorded with it (409 if the algorithm changed meanwhile; 409 `scorer-not-installed`,
    dry or not, for a change that weighs or configures the learned scorer where its `learned` extra is
    not installed: one that stops weighing it passes). Dry run: a `what_if` replay run, 202 with its
    Location (`/replays/{id}`); with ?wait=, the judged proposal once the run ends in time. Too little
    stored history to judge: 200 at once, with `evidence_unavailable` saying why.

    Args:
        dry_run (bool | Unset): Replay the proposal beside the current weights; change nothing.
            Default: False.
        wait (float | Unset): Wait up to this many seconds for the run to end and answer with its
            result (or its problem), as before; still running then: 202.
        body (AlgorithmsUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlgorithmsChangeRead | Problem | ReplaySummary
    """

    return sync_detailed(
        client=client,
        body=body,
        dry_run=dry_run,
        wait=wait,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AlgorithmsUpdate,
    dry_run: bool | Unset = False,
    wait: float | Unset = UNSET,
) -> Response[AlgorithmsChangeRead | Problem | ReplaySummary]:
    """Change component weights/parameters (active weights must sum to 1), judged by a replay of the stored
    history; ?dry_run=true only judges, as a background run

     Applied: the replay runs in the evidence worker while the request holds no database connection, then
    the change is recorded with it (409 if the algorithm changed meanwhile; 409 `scorer-not-installed`,
    dry or not, for a change that weighs or configures the learned scorer where its `learned` extra is
    not installed: one that stops weighing it passes). Dry run: a `what_if` replay run, 202 with its
    Location (`/replays/{id}`); with ?wait=, the judged proposal once the run ends in time. Too little
    stored history to judge: 200 at once, with `evidence_unavailable` saying why.

    Args:
        dry_run (bool | Unset): Replay the proposal beside the current weights; change nothing.
            Default: False.
        wait (float | Unset): Wait up to this many seconds for the run to end and answer with its
            result (or its problem), as before; still running then: 202.
        body (AlgorithmsUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlgorithmsChangeRead | Problem | ReplaySummary]
    """

    kwargs = _get_kwargs(
        body=body,
        dry_run=dry_run,
        wait=wait,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AlgorithmsUpdate,
    dry_run: bool | Unset = False,
    wait: float | Unset = UNSET,
) -> AlgorithmsChangeRead | Problem | ReplaySummary | None:
    """Change component weights/parameters (active weights must sum to 1), judged by a replay of the stored
    history; ?dry_run=true only judges, as a background run

     Applied: the replay runs in the evidence worker while the request holds no database connection, then
    the change is recorded with it (409 if the algorithm changed meanwhile; 409 `scorer-not-installed`,
    dry or not, for a change that weighs or configures the learned scorer where its `learned` extra is
    not installed: one that stops weighing it passes). Dry run: a `what_if` replay run, 202 with its
    Location (`/replays/{id}`); with ?wait=, the judged proposal once the run ends in time. Too little
    stored history to judge: 200 at once, with `evidence_unavailable` saying why.

    Args:
        dry_run (bool | Unset): Replay the proposal beside the current weights; change nothing.
            Default: False.
        wait (float | Unset): Wait up to this many seconds for the run to end and answer with its
            result (or its problem), as before; still running then: 202.
        body (AlgorithmsUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlgorithmsChangeRead | Problem | ReplaySummary
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            dry_run=dry_run,
            wait=wait,
        )
    ).parsed
