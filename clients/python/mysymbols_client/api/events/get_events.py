from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    since: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["since"] = since

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/events",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    since: int | Unset = UNSET,
) -> Response[Any | Problem]:
    """Live events: portfolio_changed, weights_updated, replacement_proposed, score_run_completed, alert,
    data_stale

     Server-Sent Events. Each event has the id of its row in the outbox; reconnect with `Last-Event-ID`
    (or `?since=`) to receive exactly the events missed, in order. Without either, the stream starts
    with the next event. An id past the newest event (the events restored from a backup) is answered at
    once with a `reload` event whose id is the newest: read the state afresh; the stream goes on from
    there. Comment lines keep idle connections open. A stream ends with a final `error` event (a problem
    document, no id) when its API key is revoked (`api-key-revoked`, checked every heartbeat), when the
    client reads too slowly (`stream-overflowed`) or when the replica stops (`shutting-down`). A key
    (or, without one, a client address) may hold `MYSYMBOLS_LIMITS__STREAMS_PER_KEY` streams open on a
    replica, and a replica serves `MYSYMBOLS_LIMITS__STREAMS_PER_PROCESS` in all: `429` beyond.

    Args:
        since (int | Unset): The last event id seen.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        since=since,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    since: int | Unset = UNSET,
) -> Any | Problem | None:
    """Live events: portfolio_changed, weights_updated, replacement_proposed, score_run_completed, alert,
    data_stale

     Server-Sent Events. Each event has the id of its row in the outbox; reconnect with `Last-Event-ID`
    (or `?since=`) to receive exactly the events missed, in order. Without either, the stream starts
    with the next event. An id past the newest event (the events restored from a backup) is answered at
    once with a `reload` event whose id is the newest: read the state afresh; the stream goes on from
    there. Comment lines keep idle connections open. A stream ends with a final `error` event (a problem
    document, no id) when its API key is revoked (`api-key-revoked`, checked every heartbeat), when the
    client reads too slowly (`stream-overflowed`) or when the replica stops (`shutting-down`). A key
    (or, without one, a client address) may hold `MYSYMBOLS_LIMITS__STREAMS_PER_KEY` streams open on a
    replica, and a replica serves `MYSYMBOLS_LIMITS__STREAMS_PER_PROCESS` in all: `429` beyond.

    Args:
        since (int | Unset): The last event id seen.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        client=client,
        since=since,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    since: int | Unset = UNSET,
) -> Response[Any | Problem]:
    """Live events: portfolio_changed, weights_updated, replacement_proposed, score_run_completed, alert,
    data_stale

     Server-Sent Events. Each event has the id of its row in the outbox; reconnect with `Last-Event-ID`
    (or `?since=`) to receive exactly the events missed, in order. Without either, the stream starts
    with the next event. An id past the newest event (the events restored from a backup) is answered at
    once with a `reload` event whose id is the newest: read the state afresh; the stream goes on from
    there. Comment lines keep idle connections open. A stream ends with a final `error` event (a problem
    document, no id) when its API key is revoked (`api-key-revoked`, checked every heartbeat), when the
    client reads too slowly (`stream-overflowed`) or when the replica stops (`shutting-down`). A key
    (or, without one, a client address) may hold `MYSYMBOLS_LIMITS__STREAMS_PER_KEY` streams open on a
    replica, and a replica serves `MYSYMBOLS_LIMITS__STREAMS_PER_PROCESS` in all: `429` beyond.

    Args:
        since (int | Unset): The last event id seen.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        since=since,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    since: int | Unset = UNSET,
) -> Any | Problem | None:
    """Live events: portfolio_changed, weights_updated, replacement_proposed, score_run_completed, alert,
    data_stale

     Server-Sent Events. Each event has the id of its row in the outbox; reconnect with `Last-Event-ID`
    (or `?since=`) to receive exactly the events missed, in order. Without either, the stream starts
    with the next event. An id past the newest event (the events restored from a backup) is answered at
    once with a `reload` event whose id is the newest: read the state afresh; the stream goes on from
    there. Comment lines keep idle connections open. A stream ends with a final `error` event (a problem
    document, no id) when its API key is revoked (`api-key-revoked`, checked every heartbeat), when the
    client reads too slowly (`stream-overflowed`) or when the replica stops (`shutting-down`). A key
    (or, without one, a client address) may hold `MYSYMBOLS_LIMITS__STREAMS_PER_KEY` streams open on a
    replica, and a replica serves `MYSYMBOLS_LIMITS__STREAMS_PER_PROCESS` in all: `429` beyond.

    Args:
        since (int | Unset): The last event id seen.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            since=since,
        )
    ).parsed
