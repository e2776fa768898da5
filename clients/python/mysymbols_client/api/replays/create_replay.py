from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.replay_create import ReplayCreate
from ...models.replay_summary import ReplaySummary
from ...types import Response


def _get_kwargs(
    *,
    body: ReplayCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/symbol-mgmt/replays",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
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
    body: ReplayCreate,
) -> Response[Problem | ReplaySummary]:
    """Replay the decision policy on the stored history, against baselines (background)

     The decision policy replayed over [`from`, `to`) of the stored history, one decision each
    `every` (`4h`, `24h`, `7d`, ...) for a portfolio of `top` members, beside the baselines, after
    `fee_bps` and `slippage_bps`, with `overrides` of its scoring and policy settings. 202 with
    the run and its `Location` (`/replays/{id}`): it runs in the evidence worker once the request
    commits. 409 when the history is too short, or this key already has its most runs queued or
    running (`MYSYMBOLS_REPLAYS__MAX_PENDING_PER_KEY`); 409 `scorer-not-installed` when the
    overrides weigh the learned scorer and its `learned` extra is not installed. Role: trade.

    Args:
        body (ReplayCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReplaySummary]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ReplayCreate,
) -> Problem | ReplaySummary | None:
    """Replay the decision policy on the stored history, against baselines (background)

     The decision policy replayed over [`from`, `to`) of the stored history, one decision each
    `every` (`4h`, `24h`, `7d`, ...) for a portfolio of `top` members, beside the baselines, after
    `fee_bps` and `slippage_bps`, with `overrides` of its scoring and policy settings. 202 with
    the run and its `Location` (`/replays/{id}`): it runs in the evidence worker once the request
    commits. 409 when the history is too short, or this key already has its most runs queued or
    running (`MYSYMBOLS_REPLAYS__MAX_PENDING_PER_KEY`); 409 `scorer-not-installed` when the
    overrides weigh the learned scorer and its `learned` extra is not installed. Role: trade.

    Args:
        body (ReplayCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReplaySummary
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ReplayCreate,
) -> Response[Problem | ReplaySummary]:
    """Replay the decision policy on the stored history, against baselines (background)

     The decision policy replayed over [`from`, `to`) of the stored history, one decision each
    `every` (`4h`, `24h`, `7d`, ...) for a portfolio of `top` members, beside the baselines, after
    `fee_bps` and `slippage_bps`, with `overrides` of its scoring and policy settings. 202 with
    the run and its `Location` (`/replays/{id}`): it runs in the evidence worker once the request
    commits. 409 when the history is too short, or this key already has its most runs queued or
    running (`MYSYMBOLS_REPLAYS__MAX_PENDING_PER_KEY`); 409 `scorer-not-installed` when the
    overrides weigh the learned scorer and its `learned` extra is not installed. Role: trade.

    Args:
        body (ReplayCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReplaySummary]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ReplayCreate,
) -> Problem | ReplaySummary | None:
    """Replay the decision policy on the stored history, against baselines (background)

     The decision policy replayed over [`from`, `to`) of the stored history, one decision each
    `every` (`4h`, `24h`, `7d`, ...) for a portfolio of `top` members, beside the baselines, after
    `fee_bps` and `slippage_bps`, with `overrides` of its scoring and policy settings. 202 with
    the run and its `Location` (`/replays/{id}`): it runs in the evidence worker once the request
    commits. 409 when the history is too short, or this key already has its most runs queued or
    running (`MYSYMBOLS_REPLAYS__MAX_PENDING_PER_KEY`); 409 `scorer-not-installed` when the
    overrides weigh the learned scorer and its `learned` extra is not installed. Role: trade.

    Args:
        body (ReplayCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReplaySummary
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
