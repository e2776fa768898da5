from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.replacement_candidates_read import ReplacementCandidatesRead
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/portfolio/replacement-candidates",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ReplacementCandidatesRead | None:
    if response.status_code == 200:
        response_200 = ReplacementCandidatesRead.from_dict(response.json())

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
) -> Response[Problem | ReplacementCandidatesRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | ReplacementCandidatesRead]:
    """Replacement recommendations with their reasons and blocking reasons

     For the weakest members by score: the outsider that would take each one's place, the reasons
    for it, what blocks it now (the minimum holding time, the margin it must lead by, stale data)
    and whether it is actionable. Nothing here changes the portfolio: a replacement does
    (`POST /portfolio/replace-symbol`, or the autopilot when it is on). Role: read.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReplacementCandidatesRead]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> Problem | ReplacementCandidatesRead | None:
    """Replacement recommendations with their reasons and blocking reasons

     For the weakest members by score: the outsider that would take each one's place, the reasons
    for it, what blocks it now (the minimum holding time, the margin it must lead by, stale data)
    and whether it is actionable. Nothing here changes the portfolio: a replacement does
    (`POST /portfolio/replace-symbol`, or the autopilot when it is on). Role: read.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReplacementCandidatesRead
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | ReplacementCandidatesRead]:
    """Replacement recommendations with their reasons and blocking reasons

     For the weakest members by score: the outsider that would take each one's place, the reasons
    for it, what blocks it now (the minimum holding time, the margin it must lead by, stale data)
    and whether it is actionable. Nothing here changes the portfolio: a replacement does
    (`POST /portfolio/replace-symbol`, or the autopilot when it is on). Role: read.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReplacementCandidatesRead]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> Problem | ReplacementCandidatesRead | None:
    """Replacement recommendations with their reasons and blocking reasons

     For the weakest members by score: the outsider that would take each one's place, the reasons
    for it, what blocks it now (the minimum holding time, the margin it must lead by, stale data)
    and whether it is actionable. Nothing here changes the portfolio: a replacement does
    (`POST /portfolio/replace-symbol`, or the autopilot when it is on). Role: read.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReplacementCandidatesRead
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
