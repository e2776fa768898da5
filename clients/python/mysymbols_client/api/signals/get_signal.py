from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.signal_read import SignalRead
from ...types import Response


def _get_kwargs(
    signal_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/signals/{signal_id}".format(
            signal_id=quote(str(signal_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SignalRead | None:
    if response.status_code == 200:
        response_200 = SignalRead.from_dict(response.json())

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
) -> Response[Problem | SignalRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    signal_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | SignalRead]:
    """One signal with each agent's vote and the consensus

     With its payload, each agent's vote (approve or reject, confidence, reason) and the
    consensus. 404 for no such signal. Role: read.

    Args:
        signal_id (int): A row's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SignalRead]
    """

    kwargs = _get_kwargs(
        signal_id=signal_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    signal_id: int,
    *,
    client: AuthenticatedClient,
) -> Problem | SignalRead | None:
    """One signal with each agent's vote and the consensus

     With its payload, each agent's vote (approve or reject, confidence, reason) and the
    consensus. 404 for no such signal. Role: read.

    Args:
        signal_id (int): A row's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SignalRead
    """

    return sync_detailed(
        signal_id=signal_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    signal_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | SignalRead]:
    """One signal with each agent's vote and the consensus

     With its payload, each agent's vote (approve or reject, confidence, reason) and the
    consensus. 404 for no such signal. Role: read.

    Args:
        signal_id (int): A row's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SignalRead]
    """

    kwargs = _get_kwargs(
        signal_id=signal_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    signal_id: int,
    *,
    client: AuthenticatedClient,
) -> Problem | SignalRead | None:
    """One signal with each agent's vote and the consensus

     With its payload, each agent's vote (approve or reject, confidence, reason) and the
    consensus. 404 for no such signal. Role: read.

    Args:
        signal_id (int): A row's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SignalRead
    """

    return (
        await asyncio_detailed(
            signal_id=signal_id,
            client=client,
        )
    ).parsed
