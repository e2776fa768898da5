from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.timeline_read import TimelineRead
from ...types import Response


def _get_kwargs(
    run_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/replays/{run_id}/timeline".format(
            run_id=quote(str(run_id), safe=""),
        ),
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
    run_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | TimelineRead]:
    """A finished replay's dated membership, as JSON or CSV (the portfolio timeline's form)

     The policy's members and weights at each decision; an interval lasts until the next decision that
    traded or changed them, or the replay's end. `reason`: exit:<code>, replaced, added or rebalance.
    Send `Accept: text/csv` for CSV. 409 until the run succeeded.

    Args:
        run_id (int): A row's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TimelineRead]
    """

    kwargs = _get_kwargs(
        run_id=run_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    run_id: int,
    *,
    client: AuthenticatedClient,
) -> Problem | TimelineRead | None:
    """A finished replay's dated membership, as JSON or CSV (the portfolio timeline's form)

     The policy's members and weights at each decision; an interval lasts until the next decision that
    traded or changed them, or the replay's end. `reason`: exit:<code>, replaced, added or rebalance.
    Send `Accept: text/csv` for CSV. 409 until the run succeeded.

    Args:
        run_id (int): A row's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TimelineRead
    """

    return sync_detailed(
        run_id=run_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    run_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | TimelineRead]:
    """A finished replay's dated membership, as JSON or CSV (the portfolio timeline's form)

     The policy's members and weights at each decision; an interval lasts until the next decision that
    traded or changed them, or the replay's end. `reason`: exit:<code>, replaced, added or rebalance.
    Send `Accept: text/csv` for CSV. 409 until the run succeeded.

    Args:
        run_id (int): A row's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TimelineRead]
    """

    kwargs = _get_kwargs(
        run_id=run_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    run_id: int,
    *,
    client: AuthenticatedClient,
) -> Problem | TimelineRead | None:
    """A finished replay's dated membership, as JSON or CSV (the portfolio timeline's form)

     The policy's members and weights at each decision; an interval lasts until the next decision that
    traded or changed them, or the replay's end. `reason`: exit:<code>, replaced, added or rebalance.
    Send `Accept: text/csv` for CSV. 409 until the run succeeded.

    Args:
        run_id (int): A row's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TimelineRead
    """

    return (
        await asyncio_detailed(
            run_id=run_id,
            client=client,
        )
    ).parsed
