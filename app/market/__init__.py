"""Market: the contract universe synced from KuCoin, its candles, funding settlements, book and
funding snapshots and live prices, and the contracts' categories (the domain: router, schemas,
service, repository, models)."""
