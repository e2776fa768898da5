from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job_run_read import JobRunRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    wait: float | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/symbol-mgmt/jobs/{name}/run".format(
            name=quote(str(name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> JobRunRead | Problem | None:
    if response.status_code == 200:
        response_200 = JobRunRead.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[JobRunRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,
) -> Response[JobRunRead | Problem]:
    """Run a job now, through the same runner as its ticks (202 with its Location); with ?wait=, the run
    once it ends in time

     Through the runner its ticks use, so it is claimed, recorded and bounded as a scheduled run
    is: 202 with the run and its `Location` (`/jobs/runs/{id}`); with `?wait=` (seconds, at most 60)
    200 with the run once it succeeded in time, or its problem. 409 `run-in-progress` while a run of
    the job goes on anywhere; 429 with `Retry-After` within `MYSYMBOLS_SCHEDULER__REQUEST_GAP_S`
    of the end of its last requested run; 404 for no such job (`GET /jobs` lists them). Role:
    admin.

    Args:
        name (str):
        wait (float | Unset): Wait up to this many seconds for the run to end and answer with its
            result (or its problem), as before; still running then: 202.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobRunRead | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        wait=wait,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,
) -> JobRunRead | Problem | None:
    """Run a job now, through the same runner as its ticks (202 with its Location); with ?wait=, the run
    once it ends in time

     Through the runner its ticks use, so it is claimed, recorded and bounded as a scheduled run
    is: 202 with the run and its `Location` (`/jobs/runs/{id}`); with `?wait=` (seconds, at most 60)
    200 with the run once it succeeded in time, or its problem. 409 `run-in-progress` while a run of
    the job goes on anywhere; 429 with `Retry-After` within `MYSYMBOLS_SCHEDULER__REQUEST_GAP_S`
    of the end of its last requested run; 404 for no such job (`GET /jobs` lists them). Role:
    admin.

    Args:
        name (str):
        wait (float | Unset): Wait up to this many seconds for the run to end and answer with its
            result (or its problem), as before; still running then: 202.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobRunRead | Problem
    """

    return sync_detailed(
        name=name,
        client=client,
        wait=wait,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,
) -> Response[JobRunRead | Problem]:
    """Run a job now, through the same runner as its ticks (202 with its Location); with ?wait=, the run
    once it ends in time

     Through the runner its ticks use, so it is claimed, recorded and bounded as a scheduled run
    is: 202 with the run and its `Location` (`/jobs/runs/{id}`); with `?wait=` (seconds, at most 60)
    200 with the run once it succeeded in time, or its problem. 409 `run-in-progress` while a run of
    the job goes on anywhere; 429 with `Retry-After` within `MYSYMBOLS_SCHEDULER__REQUEST_GAP_S`
    of the end of its last requested run; 404 for no such job (`GET /jobs` lists them). Role:
    admin.

    Args:
        name (str):
        wait (float | Unset): Wait up to this many seconds for the run to end and answer with its
            result (or its problem), as before; still running then: 202.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobRunRead | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        wait=wait,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,
) -> JobRunRead | Problem | None:
    """Run a job now, through the same runner as its ticks (202 with its Location); with ?wait=, the run
    once it ends in time

     Through the runner its ticks use, so it is claimed, recorded and bounded as a scheduled run
    is: 202 with the run and its `Location` (`/jobs/runs/{id}`); with `?wait=` (seconds, at most 60)
    200 with the run once it succeeded in time, or its problem. 409 `run-in-progress` while a run of
    the job goes on anywhere; 429 with `Retry-After` within `MYSYMBOLS_SCHEDULER__REQUEST_GAP_S`
    of the end of its last requested run; 404 for no such job (`GET /jobs` lists them). Role:
    admin.

    Args:
        name (str):
        wait (float | Unset): Wait up to this many seconds for the run to end and answer with its
            result (or its problem), as before; still running then: 202.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobRunRead | Problem
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            wait=wait,
        )
    ).parsed
