"""The `{name:id}` path segment: a row's id, an integer written in digits with an optional minus
(so `/replays/abc` matches no route, while `/replays/-1` reaches its route as `/replays/0` does,
and both get the same 422 naming the parameter: an integer out of the ids' range, not a path
that does not exist). Converted as Starlette's `int` is, but a run of digits too long for `int()`
(over 4 300 digits, CPython's limit) is passed on as text. The route's `RowId` then refuses it as
any other id out of range, a 422 naming the parameter, where Starlette's own convertor raised a
500."""

from __future__ import annotations

from starlette.convertors import IntegerConvertor, register_url_convertor

ROW_ID = "id"
_LONGEST_ID = len(str(-(2**63)))  # longer text cannot be a row's id, and int() need not read it


class RowIdConvertor(IntegerConvertor):
    """`-?[0-9]+`, read as an int while it can be a row's id, else left as text for
    validation."""

    regex = "-?[0-9]+"

    def convert(self, value: str) -> int | str:  # type: ignore[override]
        return int(value) if len(value) <= _LONGEST_ID else value


register_url_convertor(ROW_ID, RowIdConvertor())
