"""`python -m tests.kucoin_sim --port 8999 --universe recorded|N`: run until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from tests.kucoin_sim.app import KucoinSimulator
from tests.kucoin_sim.config import SimConfig


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m tests.kucoin_sim", description=__doc__)
    parser.add_argument("--port", type=int, default=8999, help="0 picks a free port")
    parser.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on and hand out (ws too)"
    )
    parser.add_argument("--universe", default="recorded", help="'recorded' or a number N <= 700")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--quota", type=int, default=2000)
    parser.add_argument("--quota-window-s", type=float, default=30.0)
    parser.add_argument("--candle-hours", type=int, default=1000)
    parser.add_argument(
        "--controls",
        action="store_true",
        help="answer POST /_sim/hold and /_sim/release (tests hold KuCoin's answers)",
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Start, print the base URL and where prices come from, wait for SIGINT or SIGTERM."""
    config = SimConfig(
        universe=args.universe,
        seed=args.seed,
        latency_ms=args.latency_ms,
        quota=args.quota,
        quota_window_s=args.quota_window_s,
        candle_hours=args.candle_hours,
    )
    sim = KucoinSimulator(config)
    url = await sim.start(args.port, args.host, controls=args.controls)
    prices = (
        f"real price paths from {config.shared_dir / 'market-data'} (Binance history, not KuCoin's)"
        if sim.market.real_prices
        else "generated price paths (seeded; no shared market data found)"
    )
    print(f"KuCoin simulator on {url} ({len(sim.market.specs)} contracts); Ctrl-C stops it")
    print(f"  prices: {prices}")
    print(f"  set MYSYMBOLS_KUCOIN__FUTURES_URL={url}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await sim.stop()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
