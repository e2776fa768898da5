"""`GET /portfolio` sends the service's view serialised as is, without the answer's model
(the hot read path): the view's fields are `PortfolioRead`'s, in its order, member for member."""

from __future__ import annotations

from dataclasses import fields

from app.portfolio.reader import MemberView, PortfolioView
from app.portfolio.schemas import MemberRead, PortfolioRead


def test_the_view_has_the_documented_answers_fields_in_order() -> None:
    assert [f.name for f in fields(PortfolioView)] == list(PortfolioRead.model_fields)


def test_a_member_view_has_the_documented_members_fields_in_order() -> None:
    assert [f.name for f in fields(MemberView)] == list(MemberRead.model_fields)
