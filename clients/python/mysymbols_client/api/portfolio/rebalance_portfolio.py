from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.rebalance_read import RebalanceRead
from ...models.rebalance_request import RebalanceRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: RebalanceRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/symbol-mgmt/portfolio/rebalance",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RebalanceRead | None:
    if response.status_code == 200:
        response_200 = RebalanceRead.from_dict(response.json())

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
) -> Response[Problem | RebalanceRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RebalanceRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RebalanceRead]:
    """Move to target weights (changes above the threshold) with an orders plan in lots

     A scheduler target: send an `Idempotency-Key` and a retry (or a second replica receiving the same
    call) replays the first answer byte for byte instead of acting twice; while the first still runs it
    is 409 with `Retry-After`, and the same key with another body is 422.

    Args:
        idempotency_key (str | Unset): Makes this write safe to retry: a retry with the same key
            and body replays the first answer; the key must be printable ASCII (letters, digits,
            punctuation, spaces): a UUID serves.
        body (RebalanceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RebalanceRead]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: RebalanceRequest,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RebalanceRead | None:
    """Move to target weights (changes above the threshold) with an orders plan in lots

     A scheduler target: send an `Idempotency-Key` and a retry (or a second replica receiving the same
    call) replays the first answer byte for byte instead of acting twice; while the first still runs it
    is 409 with `Retry-After`, and the same key with another body is 422.

    Args:
        idempotency_key (str | Unset): Makes this write safe to retry: a retry with the same key
            and body replays the first answer; the key must be printable ASCII (letters, digits,
            punctuation, spaces): a UUID serves.
        body (RebalanceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RebalanceRead
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RebalanceRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RebalanceRead]:
    """Move to target weights (changes above the threshold) with an orders plan in lots

     A scheduler target: send an `Idempotency-Key` and a retry (or a second replica receiving the same
    call) replays the first answer byte for byte instead of acting twice; while the first still runs it
    is 409 with `Retry-After`, and the same key with another body is 422.

    Args:
        idempotency_key (str | Unset): Makes this write safe to retry: a retry with the same key
            and body replays the first answer; the key must be printable ASCII (letters, digits,
            punctuation, spaces): a UUID serves.
        body (RebalanceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RebalanceRead]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RebalanceRequest,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RebalanceRead | None:
    """Move to target weights (changes above the threshold) with an orders plan in lots

     A scheduler target: send an `Idempotency-Key` and a retry (or a second replica receiving the same
    call) replays the first answer byte for byte instead of acting twice; while the first still runs it
    is 409 with `Retry-After`, and the same key with another body is 422.

    Args:
        idempotency_key (str | Unset): Makes this write safe to retry: a retry with the same key
            and body replays the first answer; the key must be printable ASCII (letters, digits,
            punctuation, spaces): a UUID serves.
        body (RebalanceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RebalanceRead
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
