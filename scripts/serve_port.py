"""`scripts/dev.sh serve`'s first step: the address uvicorn is to listen on, bound and let go at
once, so that a port another process holds is one sentence naming it and how to pick another,
before the migrations run or the service starts its jobs (uvicorn binds only once its start-up is
done, so it would say it after both, with a traceback). MYSYMBOLS_DEBUG=1 adds the traceback.

python -m scripts.serve_port --host HOST --port PORT [uvicorn's other options]
"""

from __future__ import annotations

import argparse
import errno
import socket
import sys

SERVE = "scripts/dev.sh serve"
LOOK_AHEAD = 100  # the ports after a taken one tried for the one suggested instead


def parse_args(argv: list[str]) -> tuple[str, int]:
    """The host and port uvicorn takes from `argv`: the last of each given, as its options read;
    its other options are left to it."""
    parser = argparse.ArgumentParser(prog=SERVE, add_help=False, allow_abbrev=False)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args, _ = parser.parse_known_args(argv)
    return str(args.host), int(args.port)


def bind(host: str, port: int) -> None:
    """Bind each address uvicorn would listen on for `host` and `port`, as asyncio's server does
    (address reuse on, so a port left in TIME_WAIT passes; IPv6 sockets IPv6 only), and let go."""
    found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    for family, kind, proto, _, address in dict.fromkeys(found):
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            probe.bind(address)


def another(host: str, port: int) -> str:
    """The first port after `port` that `host` can listen on now ("N" if none of the next
    LOOK_AHEAD)."""
    for candidate in range(port + 1, min(port + LOOK_AHEAD, 65535) + 1):
        try:
            bind(host, candidate)
        except OSError:
            continue
        return str(candidate)
    return "N"


def sentence(host: str, port: int, exc: OSError) -> str:
    """Why `serve` cannot listen there and what to do, in one sentence."""
    if exc.errno == errno.EADDRINUSE:
        taken = f"port {port} on {host} is in use by another process"
        return f"{taken}: stop it or pick another, e.g. PORT={another(host, port)} {SERVE}"
    why = f"cannot listen on {host}:{port} ({exc.strerror or exc})"
    if exc.errno == errno.EACCES:  # a port below 1024, for a user who may not take one
        return f"{why}: pick a port above 1023, e.g. PORT=8000 {SERVE}"
    return f"{why}: set HOST to an address of this machine, e.g. HOST=127.0.0.1 {SERVE}"


def main(argv: list[str] | None = None) -> int:
    """0 when `serve` can listen where it is told to; else 1, said in a sentence."""
    host, port = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        bind(host, port)
    except OSError as exc:
        print(f"{SERVE}: {sentence(host, port, exc)}", file=sys.stderr)
        # Imported only now: its database driver's imports are most of a second, at each serve.
        from app.platform.db.unreachable import debugging

        if debugging():
            raise
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
