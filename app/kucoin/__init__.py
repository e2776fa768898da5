"""Everything KuCoin-specific: the raw client, the symbol converter and the canonical gateway."""
