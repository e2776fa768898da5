"""Shared contracts: the problem document every error uses, and the bounds of ids and offsets
(a number past its column's range is a 422 here, never an error of the database)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Annotated, Any, Union

from fastapi import Path, Query
from pydantic import (
    AfterValidator,
    AllowInfNan,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
)
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError
from typing_extensions import TypeAliasType

from app.kucoin.symbols import SYMBOL_PATTERN
from app.platform.core.patterns import worded

INT32_MAX = 2**31 - 1  # the id columns are 32-bit integers
RowId = Annotated[int, Path(ge=1, le=INT32_MAX, description="A row's id.")]
Offset = Annotated[int, Query(ge=0, le=INT32_MAX, description="Rows to skip.")]
SYMBOL_HELP = (
    "Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and digits, parts "
    "joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator, not a symbol's)."
)
worded(SYMBOL_PATTERN, f"not a symbol the service can read. {SYMBOL_HELP}")
# A symbol in any form. One that has this shape but names no contract is a 404, not a 422.
SymbolText = Annotated[
    str,
    Field(
        min_length=2,
        max_length=40,
        pattern=SYMBOL_PATTERN,
        description=SYMBOL_HELP,
        examples=["SOLUSDT"],
    ),
]
SymbolPath = Annotated[
    str, Path(min_length=2, max_length=40, pattern=SYMBOL_PATTERN, description=SYMBOL_HELP)
]
# Free text the database can store (a reason, a signal's source, a filter). PostgreSQL refuses
# NUL, and a lone UTF-16 surrogate has no UTF-8 form. The pattern names NUL. A surrogate fails
# it as well: pydantic matches patterns with Rust's regex engine, which reads UTF-8, so such
# text is refused before the pattern runs (`string_unicode`); and to JSON Schema tools that read
# UTF-8 (schemathesis's validator, jsonschema_rs) it is no string at all. (A surrogate range in
# the pattern would be no regex to either engine.)
STORABLE_PATTERN = worded(
    r"^[^\x00]*$", "must not hold a NUL character (\\u0000), which the database cannot store"
)
StorableText = Annotated[str, StringConstraints(pattern=STORABLE_PATTERN)]


class _StorableKeys:
    """An object's keys as JSON Schema bounds them: `propertyNames` (pydantic writes
    `patternProperties`, which leaves the other names unbounded)."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        schema = handler(core_schema)
        (values,) = schema.pop("patternProperties").values()
        return {
            **schema,
            "propertyNames": {"pattern": STORABLE_PATTERN},
            "additionalProperties": values,
        }


# What the database cannot store in text or JSON: NUL, and half of a UTF-16 surrogate pair.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_CANNOT_STORE = {
    "\x00": "a NUL character (\\u0000), which the database cannot store",
    "surrogate": "half of a UTF-16 surrogate pair (\\ud800 to \\udfff), which has no UTF-8 form "
    "the database can store",
}
Location = tuple[str | int, ...]


def _unstorable(value: Any, at: Location = ()) -> tuple[Location, str] | None:
    """Where free JSON first holds text the database cannot store, and what it must not hold:
    a string at its own place, a key at the object holding it; None when it holds none."""
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        return None if found is None else (at, f"must not hold {_held(found.group())}")
    if not isinstance(value, dict | list):
        return None
    children = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in children:
        if isinstance(key, str) and (found := _UNSTORABLE.search(key)):
            return at, f"must not have a key holding {_held(found.group())}"
        inner = _unstorable(child, (*at, key))
        if inner is not None:
            return inner
    return None


def _held(character: str) -> str:
    return _CANNOT_STORE.get(character, _CANNOT_STORE["surrogate"])


def _storable_json(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Free JSON refused in words where it holds text the database cannot store, the error at
    that value (`payload.note`), before the recursive union below would refuse it once per
    member it fails (`payload.note.dict[...]: Input should be a valid dictionary`)."""
    found = _unstorable(value)
    if found is None:
        return handler(value)
    at, words = found
    error = InitErrorDetails(
        type=PydanticCustomError("unstorable_text", words), loc=at, input=value
    )
    raise ValidationError.from_exception_data("StorableObject", [error])


# Free JSON (a signal's payload) whose every key and string the database can store (JSONB
# refuses NUL anywhere in it).
if TYPE_CHECKING:  # mypy cannot follow the recursion through `Annotated`
    StorableObject = dict[str, Any]
else:
    StorableJson = TypeAliasType(
        "StorableJson",
        Union[  # noqa: UP007 (a recursive alias needs the string forward references)
            Annotated[dict[StorableText, "StorableJson"], _StorableKeys()],
            list["StorableJson"],
            StorableText,
            bool,
            int,
            float,
            None,
        ],
    )
    StorableObject = Annotated[dict[StorableText, StorableJson], _StorableKeys()]
REFUSE_UNSTORABLE = WrapValidator(_storable_json)
"""`Annotated` metadata of a `StorableObject` field, after its bounds (`at_most`, which then stay
in its JSON schema) and before `json_within` (whose depth bound then holds before this walks it):
text the database cannot store refused in words, at its place."""
# A float read from a query string: pydantic reads "nan", "inf" and "1e999" as floats, and a
# bound alone would refuse them in words ("less than or equal to 60") that do not say why.
FiniteFloat = Annotated[float, AllowInfNan(False)]
MONEY_LIMIT = 1e15  # USDT: larger amounts are typing errors, and overflow the maths


def to_places(places: int) -> AfterValidator:
    """Round a decimal to `places` (half even), as it is stored."""
    step = Decimal(1).scaleb(-places)
    return AfterValidator(lambda value: value.quantize(step, rounding=ROUND_HALF_EVEN))


def json_number(minimum: float, maximum: float, *, exclusive: bool = False) -> Any:
    """A decimal sent as a JSON number within [minimum, maximum] (`exclusive`: above the
    minimum). Text is refused, as every figure the API answers with is a number (docs/api.md,
    "Types")."""

    def check(value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ValueError("must be a JSON number, not text")
        return value

    low = {"exclusiveMinimum": minimum} if exclusive else {"minimum": minimum}
    bounds = (
        Field(gt=minimum, le=maximum, strict=False)  # a float read into a Decimal
        if exclusive
        else Field(ge=minimum, le=maximum, strict=False)
    )
    schema = WithJsonSchema({"type": "number", **low, "maximum": maximum}, mode="validation")
    return bounds, BeforeValidator(check), schema


# A stored decimal (a weight, a price, a lot size) in an answer: a JSON number, like every other
# figure. Its text is the decimal's shortest float form, which reads back to the same value for
# the 15 significant digits these columns hold.
DecimalNumber = Annotated[
    Decimal,
    PlainSerializer(float, return_type=float, when_used="json"),
]
SignedMoney = Annotated[Decimal, *json_number(-MONEY_LIMIT, MONEY_LIMIT)]
NonNegativeMoney = Annotated[Decimal, *json_number(0, MONEY_LIMIT)]
PositiveMoney = Annotated[Decimal, *json_number(0, MONEY_LIMIT, exclusive=True)]
Percent = Annotated[Decimal, *json_number(-1e6, 1e6)]
# A fraction from 0 to 1 (a weight, a strength), kept to 4 decimals.
UnitFraction = Annotated[Decimal, *json_number(0, 1), to_places(4)]


FIRST_YEAR, LAST_YEAR = 1970, 2199
"""Every time a request sends as a typed field or query parameter is written in one of these
years (inclusive; docs/api.md, "Types"): the service's data start long after the first, and the
calendar's ends are no times it can compute with (year 1 overflows a day's arithmetic, year 9999
at an offset overflows UTC, and PostgreSQL stored the calendar's last instant as `infinity`)."""
_CLOCK = (  # RFC 3339's: `t` and `z` too, any fraction (read to the microsecond)
    r"-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
DATE_TIME_TEXT = re.compile(r"^[0-9]{4}" + _CLOCK)
# The same grammar within the window, as the JSON Schema says it (a generator reads it).
DATE_TIME_HELP = (
    "an ISO 8601 date-time such as 2026-11-23T06:00:00Z (`T`, seconds, `Z` or an offset)"
)
DATE_TIME_PATTERN = worded(r"^(19[7-9][0-9]|2[01][0-9]{2})" + _CLOCK, f"must be {DATE_TIME_HELP}")


def iso_datetime(value: object) -> object:
    """Times arrive as ISO 8601 text in the window's years, never as epoch numbers."""
    if isinstance(value, int | float) or (
        isinstance(value, str) and not DATE_TIME_TEXT.fullmatch(value)
    ):
        raise PydanticCustomError("datetime_format", f"must be {DATE_TIME_HELP}")
    if isinstance(value, str) and not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
        raise PydanticCustomError(
            "datetime_window",
            "should be written in the years {first} to {last}",
            {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


class _WithinWindow:
    """The date-time's grammar and window in the JSON Schema of a request (a pattern)."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        schema = handler(core_schema)
        if handler.mode == "validation":
            schema["pattern"] = DATE_TIME_PATTERN
        return dict(schema)


def in_utc(value: datetime) -> datetime:
    """In UTC (a time written within the window cannot overflow it)."""
    return value.astimezone(UTC)


IsoDateTime = Annotated[
    AwareDatetime,
    Field(strict=False),  # read from its ISO text, in a strict body too (never from a number)
    BeforeValidator(iso_datetime),
    AfterValidator(in_utc),
    _WithinWindow(),
]


class RequestBody(BaseModel):
    """A request body: unknown fields refused, and every field read as the JSON type the API
    documents (strict): a number is not a boolean (`"dry_run": 0` is refused, not read as
    false), text is not a number, a fraction is not an integer. Times are ISO 8601 text."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Problem(BaseModel):
    """RFC 9457 problem details, as every error of this API is rendered."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:mysymbols:problem:forbidden",
                    "title": "Insufficient role",
                    "status": 403,
                    "detail": "This action needs the 'admin' role; the key has 'read'.",
                    "instance": "/api/symbol-mgmt/api-keys",
                    "request_id": "4f1c2a9e0b7d4c3e8a6f5d2b1c0e9f8a",
                }
            ]
        },
    )

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Per-field validation errors (422 only; the first 20)."
    )
    errors_not_listed: int | None = Field(
        default=None, description="Validation errors beyond those listed (422 only)."
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries so /docs shows the problem+json shape for each error status (the
    schema, `Problem`'s, is put in by `app.platform.http.openapi`: naming the model here would have
    FastAPI build a validator of it for every status of every route, in every app)."""
    return {status: {"content": {"application/problem+json": {}}} for status in statuses}


def idempotent_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`problem_responses` of an operation honouring `Idempotency-Key`: its 409 and 422 name
    the idempotency errors too (draft-ietf-httpapi-idempotency-key-header-07)."""
    responses = problem_responses(*sorted({*statuses, 409, 422}))
    responses[409].update(
        description="Conflict with the current state, or `idempotency-key-in-progress`: the "
        "first request with this `Idempotency-Key` is still running; retry after `Retry-After` "
        "seconds.",
        headers={"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}},
    )
    responses[422]["description"] = (
        "Invalid input, or `idempotency-key-reused`: this `Idempotency-Key` was first used with "
        "a different request; use a new key."
    )
    return responses
