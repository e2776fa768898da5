"""The portfolio's routes, one module per resource: the members and their changes
(`/portfolio`), the allocation and the analytics (under `/portfolio` too) and the freqtrade
pairlist (`/pairlist`). The wiring includes them in that order."""
