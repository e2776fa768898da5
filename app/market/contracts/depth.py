"""The order-book depth market fetches of each contract (`app.market.snapshot`): the scorer's
book arrays are this deep (`app.scoring.scorers.assemble`), live and in replay."""

BOOK_LEVELS = 20
"""The best levels a side."""
