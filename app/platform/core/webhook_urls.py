"""Webhook receiver addresses: the URLs checked at start (https unless http is allowed, a host,
no credentials, no literal internal address), and each address a name resolves to checked as
the connection is made (`app.platform.webhooks.resolver`), so DNS cannot point a receiver at the
pod's own network between the two. Internal: anything not globally routable (private, loopback,
the shared 100.64.0.0/10 that holds some clouds' metadata services, reserved, unspecified) and
multicast, unless allowed; link-local (cloud metadata, e.g. 169.254.169.254) is refused always.
The egress NetworkPolicy (deploy/k8s/networkpolicy.yaml) is the layer below."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from urllib.parse import urlsplit


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address `host` spells, in the dotted form or in the short forms resolvers also
    take as an address (127.1, 2130706433, 0x7f.0.0.1); None for a name."""
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(host)
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def check_webhook_url(url: str, *, allow_http: bool, allow_private: bool) -> None:
    """ValueError naming what is wrong with `url` as a receiver (the URL itself is not echoed
    past its scheme and host: its path or query may carry a receiver's token)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise ValueError(f"webhook URLs must be https:// (one is {scheme or 'without'} scheme)")
    if scheme == "http" and not allow_http:
        raise ValueError(
            "webhook URLs must be https:// (set MYSYMBOLS_WEBHOOKS__ALLOW_HTTP=true to allow "
            f"http:// to {parts.hostname})"
        )
    if not parts.hostname:
        raise ValueError("a webhook URL has no host")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"a webhook URL to {parts.hostname} carries credentials before its host")
    address = _literal(parts.hostname)
    if address is not None:
        refused = refusal(address, allow_private=allow_private)
        if refused:
            raise ValueError(f"webhook URLs may not point at {refused}")


Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def refusal(address: Address, *, allow_private: bool) -> str | None:
    """Why a receiver may not be at `address` (None: it may)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_link_local:
        return f"link-local {address} (cloud metadata)"
    if (not address.is_global or address.is_multicast) and not allow_private:
        return (
            f"the internal address {address} (set MYSYMBOLS_WEBHOOKS__ALLOW_PRIVATE_ADDRESSES="
            "true for a receiver on your own network)"
        )
    return None
