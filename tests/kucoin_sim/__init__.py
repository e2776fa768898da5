"""KuCoin Futures public-API simulator: the test double for tests, demo and benchmarks."""

from tests.kucoin_sim.app import KucoinSimulator, RequestRecord
from tests.kucoin_sim.config import SimConfig

__all__ = ["KucoinSimulator", "RequestRecord", "SimConfig"]
