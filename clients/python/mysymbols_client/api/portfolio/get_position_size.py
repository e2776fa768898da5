from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.position_size_read import PositionSizeRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    symbol: str,
    account_balance: float,
    volatility_adjusted: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["symbol"] = symbol

    params["account_balance"] = account_balance

    params["volatility_adjusted"] = volatility_adjusted

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/symbol-mgmt/portfolio/position-size",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PositionSizeRead | Problem | None:
    if response.status_code == 200:
        response_200 = PositionSizeRead.from_dict(response.json())

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
) -> Response[PositionSizeRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    symbol: str,
    account_balance: float,
    volatility_adjusted: bool | Unset = False,
) -> Response[PositionSizeRead | Problem]:
    """Position size of a member for an account balance, in USDT and lots

     For a member: `account_balance` times its weight (percent), capped at `max_position_weight`,
    at its current price: the notional, whole lots and their notional, and the margin at the
    contract's maximum leverage; `volatility_adjusted` scales it by the member's realised volatility
    toward `target_volatility`, down only: the answer's `volatility_adjusted` says whether that
    reduced it, and `volatility_scale` by how much. 404 when the symbol is no member. Role: read.

    Args:
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and
            digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator,
            not a symbol's).
        account_balance (float): USDT
        volatility_adjusted (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PositionSizeRead | Problem]
    """

    kwargs = _get_kwargs(
        symbol=symbol,
        account_balance=account_balance,
        volatility_adjusted=volatility_adjusted,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    symbol: str,
    account_balance: float,
    volatility_adjusted: bool | Unset = False,
) -> PositionSizeRead | Problem | None:
    """Position size of a member for an account balance, in USDT and lots

     For a member: `account_balance` times its weight (percent), capped at `max_position_weight`,
    at its current price: the notional, whole lots and their notional, and the margin at the
    contract's maximum leverage; `volatility_adjusted` scales it by the member's realised volatility
    toward `target_volatility`, down only: the answer's `volatility_adjusted` says whether that
    reduced it, and `volatility_scale` by how much. 404 when the symbol is no member. Role: read.

    Args:
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and
            digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator,
            not a symbol's).
        account_balance (float): USDT
        volatility_adjusted (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PositionSizeRead | Problem
    """

    return sync_detailed(
        client=client,
        symbol=symbol,
        account_balance=account_balance,
        volatility_adjusted=volatility_adjusted,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    symbol: str,
    account_balance: float,
    volatility_adjusted: bool | Unset = False,
) -> Response[PositionSizeRead | Problem]:
    """Position size of a member for an account balance, in USDT and lots

     For a member: `account_balance` times its weight (percent), capped at `max_position_weight`,
    at its current price: the notional, whole lots and their notional, and the margin at the
    contract's maximum leverage; `volatility_adjusted` scales it by the member's realised volatility
    toward `target_volatility`, down only: the answer's `volatility_adjusted` says whether that
    reduced it, and `volatility_scale` by how much. 404 when the symbol is no member. Role: read.

    Args:
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and
            digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator,
            not a symbol's).
        account_balance (float): USDT
        volatility_adjusted (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PositionSizeRead | Problem]
    """

    kwargs = _get_kwargs(
        symbol=symbol,
        account_balance=account_balance,
        volatility_adjusted=volatility_adjusted,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    symbol: str,
    account_balance: float,
    volatility_adjusted: bool | Unset = False,
) -> PositionSizeRead | Problem | None:
    """Position size of a member for an account balance, in USDT and lots

     For a member: `account_balance` times its weight (percent), capped at `max_position_weight`,
    at its current price: the notional, whole lots and their notional, and the margin at the
    contract's maximum leverage; `volatility_adjusted` scales it by the member's realised volatility
    toward `target_volatility`, down only: the answer's `volatility_adjusted` says whether that
    reduced it, and `volatility_scale` by how much. 404 when the symbol is no member. Role: read.

    Args:
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and
            digits, parts joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator,
            not a symbol's).
        account_balance (float): USDT
        volatility_adjusted (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PositionSizeRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            symbol=symbol,
            account_balance=account_balance,
            volatility_adjusted=volatility_adjusted,
        )
    ).parsed
