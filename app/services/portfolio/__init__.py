"""Portfolio use cases: membership, replacement, rebalance, weights, reads, risk, config."""
