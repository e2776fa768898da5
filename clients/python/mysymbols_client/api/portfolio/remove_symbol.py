from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.change_read import ChangeRead
from ...models.problem import Problem
from ...models.remove_symbol import RemoveSymbol
from ...types import Response


def _get_kwargs(
    *,
    body: RemoveSymbol,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/symbol-mgmt/portfolio/remove-symbol",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ChangeRead | Problem | None:
    if response.status_code == 200:
        response_200 = ChangeRead.from_dict(response.json())

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
) -> Response[ChangeRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RemoveSymbol,
) -> Response[ChangeRead | Problem]:
    """Remove a member (ranks close up, weights are recomputed)

     The member leaves (its row stays, `removed`), the others' weights are recomputed, and one
    audit row records the change. 404 when it is no member. Answers the change and the portfolio
    after it. Role: trade.

    Args:
        body (RemoveSymbol): The same fields as AddSymbol: the member to remove and why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChangeRead | Problem]
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
    body: RemoveSymbol,
) -> ChangeRead | Problem | None:
    """Remove a member (ranks close up, weights are recomputed)

     The member leaves (its row stays, `removed`), the others' weights are recomputed, and one
    audit row records the change. 404 when it is no member. Answers the change and the portfolio
    after it. Role: trade.

    Args:
        body (RemoveSymbol): The same fields as AddSymbol: the member to remove and why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChangeRead | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RemoveSymbol,
) -> Response[ChangeRead | Problem]:
    """Remove a member (ranks close up, weights are recomputed)

     The member leaves (its row stays, `removed`), the others' weights are recomputed, and one
    audit row records the change. 404 when it is no member. Answers the change and the portfolio
    after it. Role: trade.

    Args:
        body (RemoveSymbol): The same fields as AddSymbol: the member to remove and why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChangeRead | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RemoveSymbol,
) -> ChangeRead | Problem | None:
    """Remove a member (ranks close up, weights are recomputed)

     The member leaves (its row stays, `removed`), the others' weights are recomputed, and one
    audit row records the change. 404 when it is no member. Answers the change and the portfolio
    after it. Role: trade.

    Args:
        body (RemoveSymbol): The same fields as AddSymbol: the member to remove and why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChangeRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
