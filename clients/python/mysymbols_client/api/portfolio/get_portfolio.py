import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.portfolio_read import PortfolioRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    as_of: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_as_of: str | Unset = UNSET
    if not isinstance(as_of, Unset):
        json_as_of = as_of.isoformat()
    params["as_of"] = json_as_of

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/portfolio",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PortfolioRead | Problem | None:
    if response.status_code == 200:
        response_200 = PortfolioRead.from_dict(response.json())

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
) -> Response[PortfolioRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    as_of: datetime.datetime | Unset = UNSET,
) -> Response[PortfolioRead | Problem]:
    """The members with weights, scores, prices and data age (or as of a past time)

     Members by rank (the latest composite, best first), each with its weight as the last change
    set it (`weights_as_of`), its entry and current price (`price_source`), its performance since
    inclusion, whether it is a replacement candidate and from when, and how old its data is (`stale`
    past the runtime setting `stale_data_limit_s`). With `?as_of=`, the membership the audit trail
    recorded then (`reconstructed`). The trading engine's hot read. Role: read.

    Args:
        as_of (datetime.datetime | Unset): Read the membership recorded at this time.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PortfolioRead | Problem]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    as_of: datetime.datetime | Unset = UNSET,
) -> PortfolioRead | Problem | None:
    """The members with weights, scores, prices and data age (or as of a past time)

     Members by rank (the latest composite, best first), each with its weight as the last change
    set it (`weights_as_of`), its entry and current price (`price_source`), its performance since
    inclusion, whether it is a replacement candidate and from when, and how old its data is (`stale`
    past the runtime setting `stale_data_limit_s`). With `?as_of=`, the membership the audit trail
    recorded then (`reconstructed`). The trading engine's hot read. Role: read.

    Args:
        as_of (datetime.datetime | Unset): Read the membership recorded at this time.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PortfolioRead | Problem
    """

    return sync_detailed(
        client=client,
        as_of=as_of,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    as_of: datetime.datetime | Unset = UNSET,
) -> Response[PortfolioRead | Problem]:
    """The members with weights, scores, prices and data age (or as of a past time)

     Members by rank (the latest composite, best first), each with its weight as the last change
    set it (`weights_as_of`), its entry and current price (`price_source`), its performance since
    inclusion, whether it is a replacement candidate and from when, and how old its data is (`stale`
    past the runtime setting `stale_data_limit_s`). With `?as_of=`, the membership the audit trail
    recorded then (`reconstructed`). The trading engine's hot read. Role: read.

    Args:
        as_of (datetime.datetime | Unset): Read the membership recorded at this time.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PortfolioRead | Problem]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    as_of: datetime.datetime | Unset = UNSET,
) -> PortfolioRead | Problem | None:
    """The members with weights, scores, prices and data age (or as of a past time)

     Members by rank (the latest composite, best first), each with its weight as the last change
    set it (`weights_as_of`), its entry and current price (`price_source`), its performance since
    inclusion, whether it is a replacement candidate and from when, and how old its data is (`stale`
    past the runtime setting `stale_data_limit_s`). With `?as_of=`, the membership the audit trail
    recorded then (`reconstructed`). The trading engine's hot read. Role: read.

    Args:
        as_of (datetime.datetime | Unset): Read the membership recorded at this time.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PortfolioRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            as_of=as_of,
        )
    ).parsed
