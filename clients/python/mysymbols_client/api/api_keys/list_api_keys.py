from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_key_read import ApiKeyRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    include_revoked: bool | Unset = False,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["include_revoked"] = include_revoked

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/api-keys",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[ApiKeyRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = ApiKeyRead.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Problem | list[ApiKeyRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    include_revoked: bool | Unset = False,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Response[Problem | list[ApiKeyRead]]:
    """API keys, oldest first (never their secrets)

     Each key's name, role, public prefix, creator and dates (created, last used, revoked);
    `include_revoked` adds the revoked ones. The bootstrap keys (`MYSYMBOLS_API_KEYS`) are not
    stored, so not listed. Role: admin.

    Args:
        include_revoked (bool | Unset): Also list revoked keys. Default: False.
        limit (int | Unset):  Default: 200.
        offset (int | Unset): Rows to skip. Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[ApiKeyRead]]
    """

    kwargs = _get_kwargs(
        include_revoked=include_revoked,
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    include_revoked: bool | Unset = False,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Problem | list[ApiKeyRead] | None:
    """API keys, oldest first (never their secrets)

     Each key's name, role, public prefix, creator and dates (created, last used, revoked);
    `include_revoked` adds the revoked ones. The bootstrap keys (`MYSYMBOLS_API_KEYS`) are not
    stored, so not listed. Role: admin.

    Args:
        include_revoked (bool | Unset): Also list revoked keys. Default: False.
        limit (int | Unset):  Default: 200.
        offset (int | Unset): Rows to skip. Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[ApiKeyRead]
    """

    return sync_detailed(
        client=client,
        include_revoked=include_revoked,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    include_revoked: bool | Unset = False,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Response[Problem | list[ApiKeyRead]]:
    """API keys, oldest first (never their secrets)

     Each key's name, role, public prefix, creator and dates (created, last used, revoked);
    `include_revoked` adds the revoked ones. The bootstrap keys (`MYSYMBOLS_API_KEYS`) are not
    stored, so not listed. Role: admin.

    Args:
        include_revoked (bool | Unset): Also list revoked keys. Default: False.
        limit (int | Unset):  Default: 200.
        offset (int | Unset): Rows to skip. Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[ApiKeyRead]]
    """

    kwargs = _get_kwargs(
        include_revoked=include_revoked,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    include_revoked: bool | Unset = False,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Problem | list[ApiKeyRead] | None:
    """API keys, oldest first (never their secrets)

     Each key's name, role, public prefix, creator and dates (created, last used, revoked);
    `include_revoked` adds the revoked ones. The bootstrap keys (`MYSYMBOLS_API_KEYS`) are not
    stored, so not listed. Role: admin.

    Args:
        include_revoked (bool | Unset): Also list revoked keys. Default: False.
        limit (int | Unset):  Default: 200.
        offset (int | Unset): Rows to skip. Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[ApiKeyRead]
    """

    return (
        await asyncio_detailed(
            client=client,
            include_revoked=include_revoked,
            limit=limit,
            offset=offset,
        )
    ).parsed
