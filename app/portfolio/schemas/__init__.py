"""The portfolio's contracts, one module per resource: the members, their changes, replacement
advice and the audit trail (members); target weights, rebalancing and position sizes
(allocation); correlation, reported PnL, statistics and risk ratios (analytics); the dated
membership export (timeline); the freqtrade pairlist (pairlist)."""
