from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.live_evidence_read import LiveEvidenceRead
from ...models.problem import Problem
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/evidence/live",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LiveEvidenceRead | Problem | None:
    if response.status_code == 200:
        response_200 = LiveEvidenceRead.from_dict(response.json())

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
) -> Response[LiveEvidenceRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[LiveEvidenceRead | Problem]:
    """The live record: the real portfolio as run, and the policy's forward record

     `as_run`: the real portfolio as it was run since its first decision, each decision with its
    actor (an API key's name, `scheduler`, `autopilot`) and reason, marked hourly after costs.
    `forward`: the automated policy's shadow book beside every registered challenger's and the
    baselines', since deployment, with the forward rule's verdicts. 200 as soon as either exists
    (the other null; `marked_to` null before the first mark), 404 before. Role: read.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LiveEvidenceRead | Problem]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> LiveEvidenceRead | Problem | None:
    """The live record: the real portfolio as run, and the policy's forward record

     `as_run`: the real portfolio as it was run since its first decision, each decision with its
    actor (an API key's name, `scheduler`, `autopilot`) and reason, marked hourly after costs.
    `forward`: the automated policy's shadow book beside every registered challenger's and the
    baselines', since deployment, with the forward rule's verdicts. 200 as soon as either exists
    (the other null; `marked_to` null before the first mark), 404 before. Role: read.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LiveEvidenceRead | Problem
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[LiveEvidenceRead | Problem]:
    """The live record: the real portfolio as run, and the policy's forward record

     `as_run`: the real portfolio as it was run since its first decision, each decision with its
    actor (an API key's name, `scheduler`, `autopilot`) and reason, marked hourly after costs.
    `forward`: the automated policy's shadow book beside every registered challenger's and the
    baselines', since deployment, with the forward rule's verdicts. 200 as soon as either exists
    (the other null; `marked_to` null before the first mark), 404 before. Role: read.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LiveEvidenceRead | Problem]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> LiveEvidenceRead | Problem | None:
    """The live record: the real portfolio as run, and the policy's forward record

     `as_run`: the real portfolio as it was run since its first decision, each decision with its
    actor (an API key's name, `scheduler`, `autopilot`) and reason, marked hourly after costs.
    `forward`: the automated policy's shadow book beside every registered challenger's and the
    baselines', since deployment, with the forward rule's verdicts. 200 as soon as either exists
    (the other null; `marked_to` null before the first mark), 404 before. Role: read.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LiveEvidenceRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
