from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.alert_read import AlertRead
from ...models.list_alerts_kind import ListAlertsKind
from ...models.list_alerts_status import ListAlertsStatus
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListAlertsStatus | Unset = UNSET,
    kind: ListAlertsKind | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind

    params["kind"] = json_kind

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/alerts",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[AlertRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = AlertRead.from_dict(response_200_item_data)

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
) -> Response[Problem | list[AlertRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ListAlertsStatus | Unset = UNSET,
    kind: ListAlertsKind | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Response[Problem | list[AlertRead]]:
    """Alerts, most recently seen first

     Each condition is one alert (its `fingerprint`), counted in `occurrences` each time a check
    finds it again. Filter by `status` and `kind`; page with `limit` and `offset`. Role: read.

    Args:
        status (ListAlertsStatus | Unset):
        kind (ListAlertsKind | Unset):
        limit (int | Unset):  Default: 100.
        offset (int | Unset): Rows to skip. Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[AlertRead]]
    """

    kwargs = _get_kwargs(
        status=status,
        kind=kind,
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
    status: ListAlertsStatus | Unset = UNSET,
    kind: ListAlertsKind | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Problem | list[AlertRead] | None:
    """Alerts, most recently seen first

     Each condition is one alert (its `fingerprint`), counted in `occurrences` each time a check
    finds it again. Filter by `status` and `kind`; page with `limit` and `offset`. Role: read.

    Args:
        status (ListAlertsStatus | Unset):
        kind (ListAlertsKind | Unset):
        limit (int | Unset):  Default: 100.
        offset (int | Unset): Rows to skip. Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[AlertRead]
    """

    return sync_detailed(
        client=client,
        status=status,
        kind=kind,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ListAlertsStatus | Unset = UNSET,
    kind: ListAlertsKind | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Response[Problem | list[AlertRead]]:
    """Alerts, most recently seen first

     Each condition is one alert (its `fingerprint`), counted in `occurrences` each time a check
    finds it again. Filter by `status` and `kind`; page with `limit` and `offset`. Role: read.

    Args:
        status (ListAlertsStatus | Unset):
        kind (ListAlertsKind | Unset):
        limit (int | Unset):  Default: 100.
        offset (int | Unset): Rows to skip. Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[AlertRead]]
    """

    kwargs = _get_kwargs(
        status=status,
        kind=kind,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ListAlertsStatus | Unset = UNSET,
    kind: ListAlertsKind | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Problem | list[AlertRead] | None:
    """Alerts, most recently seen first

     Each condition is one alert (its `fingerprint`), counted in `occurrences` each time a check
    finds it again. Filter by `status` and `kind`; page with `limit` and `offset`. Role: read.

    Args:
        status (ListAlertsStatus | Unset):
        kind (ListAlertsKind | Unset):
        limit (int | Unset):  Default: 100.
        offset (int | Unset): Rows to skip. Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[AlertRead]
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            kind=kind,
            limit=limit,
            offset=offset,
        )
    ).parsed
