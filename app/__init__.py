"""MySymbols: the managed KuCoin futures symbol portfolio behind a trading engine."""

__version__ = "0.1.0"
