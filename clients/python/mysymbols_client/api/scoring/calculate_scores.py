from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job_run_read import JobRunRead
from ...models.problem import Problem
from ...models.scoring_run_read import ScoringRunRead
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    wait: float | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/symbol-mgmt/scoring/calculate",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> JobRunRead | Problem | ScoringRunRead | None:
    if response.status_code == 200:
        response_200 = ScoringRunRead.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = JobRunRead.from_dict(response.json())

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
) -> Response[JobRunRead | Problem | ScoringRunRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,
) -> Response[JobRunRead | Problem | ScoringRunRead]:
    """Score the universe now (a `score_refresh` job run: 202 with its Location); with ?wait=, the scoring
    run's summary once it ends in time

     Scores the universe and proposes the replacements the new scores justify, as the scheduled
    `score_refresh` job does, through its runner: 202 with the run and its `Location`
    (`/jobs/runs/{id}`); with `?wait=` (seconds, at most 60) the scoring run's summary once it ends
    in time. 409 `run-in-progress` while a refresh runs anywhere; 429 with `Retry-After` within
    `MYSYMBOLS_SCHEDULER__REQUEST_GAP_S` of the end of the last requested one, whoever asked; 503
    `exchange-unavailable` when KuCoin kept it from scoring. Role: trade.

    Args:
        wait (float | Unset): Wait up to this many seconds for the run to end and answer with its
            result (or its problem), as before; still running then: 202.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobRunRead | Problem | ScoringRunRead]
    """

    kwargs = _get_kwargs(
        wait=wait,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,
) -> JobRunRead | Problem | ScoringRunRead | None:
    """Score the universe now (a `score_refresh` job run: 202 with its Location); with ?wait=, the scoring
    run's summary once it ends in time

     Scores the universe and proposes the replacements the new scores justify, as the scheduled
    `score_refresh` job does, through its runner: 202 with the run and its `Location`
    (`/jobs/runs/{id}`); with `?wait=` (seconds, at most 60) the scoring run's summary once it ends
    in time. 409 `run-in-progress` while a refresh runs anywhere; 429 with `Retry-After` within
    `MYSYMBOLS_SCHEDULER__REQUEST_GAP_S` of the end of the last requested one, whoever asked; 503
    `exchange-unavailable` when KuCoin kept it from scoring. Role: trade.

    Args:
        wait (float | Unset): Wait up to this many seconds for the run to end and answer with its
            result (or its problem), as before; still running then: 202.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobRunRead | Problem | ScoringRunRead
    """

    return sync_detailed(
        client=client,
        wait=wait,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,
) -> Response[JobRunRead | Problem | ScoringRunRead]:
    """Score the universe now (a `score_refresh` job run: 202 with its Location); with ?wait=, the scoring
    run's summary once it ends in time

     Scores the universe and proposes the replacements the new scores justify, as the scheduled
    `score_refresh` job does, through its runner: 202 with the run and its `Location`
    (`/jobs/runs/{id}`); with `?wait=` (seconds, at most 60) the scoring run's summary once it ends
    in time. 409 `run-in-progress` while a refresh runs anywhere; 429 with `Retry-After` within
    `MYSYMBOLS_SCHEDULER__REQUEST_GAP_S` of the end of the last requested one, whoever asked; 503
    `exchange-unavailable` when KuCoin kept it from scoring. Role: trade.

    Args:
        wait (float | Unset): Wait up to this many seconds for the run to end and answer with its
            result (or its problem), as before; still running then: 202.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobRunRead | Problem | ScoringRunRead]
    """

    kwargs = _get_kwargs(
        wait=wait,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,
) -> JobRunRead | Problem | ScoringRunRead | None:
    """Score the universe now (a `score_refresh` job run: 202 with its Location); with ?wait=, the scoring
    run's summary once it ends in time

     Scores the universe and proposes the replacements the new scores justify, as the scheduled
    `score_refresh` job does, through its runner: 202 with the run and its `Location`
    (`/jobs/runs/{id}`); with `?wait=` (seconds, at most 60) the scoring run's summary once it ends
    in time. 409 `run-in-progress` while a refresh runs anywhere; 429 with `Retry-After` within
    `MYSYMBOLS_SCHEDULER__REQUEST_GAP_S` of the end of the last requested one, whoever asked; 503
    `exchange-unavailable` when KuCoin kept it from scoring. Role: trade.

    Args:
        wait (float | Unset): Wait up to this many seconds for the run to end and answer with its
            result (or its problem), as before; still running then: 202.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobRunRead | Problem | ScoringRunRead
    """

    return (
        await asyncio_detailed(
            client=client,
            wait=wait,
        )
    ).parsed
