import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.timeline_read import TimelineRead
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/portfolio/timeline",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TimelineRead | None:
    if response.status_code == 200:
        response_200 = TimelineRead.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | TimelineRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Response[Problem | TimelineRead]:
    """The dated membership: one row per interval and member, as JSON or CSV

     Built from the audit trail, so it holds from the first change recorded. Rows tile [from, to) without
    overlap per member, by interval then rank; an interval's weights sum to 100 (an empty portfolio has
    no rows); an interval still open ends at `to`. A `to` beyond now is now (`clamped_to_now` says so; a
    range wholly in the future holds no rows): nothing is held in the future. Send `Accept: text/csv`
    for CSV (a header line, then the same rows in the same order).

    Args:
        from_ (datetime.datetime | Unset): Start (default: the first audit row, at most the
            runtime setting timeline_max_days before `to`; a longer range is a 422).
        to (datetime.datetime | Unset): End, after `from` (default: now; one beyond now is now,
            and the answer's `clamped_to_now` is true).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TimelineRead]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Problem | TimelineRead | None:
    """The dated membership: one row per interval and member, as JSON or CSV

     Built from the audit trail, so it holds from the first change recorded. Rows tile [from, to) without
    overlap per member, by interval then rank; an interval's weights sum to 100 (an empty portfolio has
    no rows); an interval still open ends at `to`. A `to` beyond now is now (`clamped_to_now` says so; a
    range wholly in the future holds no rows): nothing is held in the future. Send `Accept: text/csv`
    for CSV (a header line, then the same rows in the same order).

    Args:
        from_ (datetime.datetime | Unset): Start (default: the first audit row, at most the
            runtime setting timeline_max_days before `to`; a longer range is a 422).
        to (datetime.datetime | Unset): End, after `from` (default: now; one beyond now is now,
            and the answer's `clamped_to_now` is true).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TimelineRead
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Response[Problem | TimelineRead]:
    """The dated membership: one row per interval and member, as JSON or CSV

     Built from the audit trail, so it holds from the first change recorded. Rows tile [from, to) without
    overlap per member, by interval then rank; an interval's weights sum to 100 (an empty portfolio has
    no rows); an interval still open ends at `to`. A `to` beyond now is now (`clamped_to_now` says so; a
    range wholly in the future holds no rows): nothing is held in the future. Send `Accept: text/csv`
    for CSV (a header line, then the same rows in the same order).

    Args:
        from_ (datetime.datetime | Unset): Start (default: the first audit row, at most the
            runtime setting timeline_max_days before `to`; a longer range is a 422).
        to (datetime.datetime | Unset): End, after `from` (default: now; one beyond now is now,
            and the answer's `clamped_to_now` is true).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TimelineRead]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Problem | TimelineRead | None:
    """The dated membership: one row per interval and member, as JSON or CSV

     Built from the audit trail, so it holds from the first change recorded. Rows tile [from, to) without
    overlap per member, by interval then rank; an interval's weights sum to 100 (an empty portfolio has
    no rows); an interval still open ends at `to`. A `to` beyond now is now (`clamped_to_now` says so; a
    range wholly in the future holds no rows): nothing is held in the future. Send `Accept: text/csv`
    for CSV (a header line, then the same rows in the same order).

    Args:
        from_ (datetime.datetime | Unset): Start (default: the first audit row, at most the
            runtime setting timeline_max_days before `to`; a longer range is a 422).
        to (datetime.datetime | Unset): End, after `from` (default: now; one beyond now is now,
            and the answer's `clamped_to_now` is true).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TimelineRead
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
        )
    ).parsed
