"""Webhook receiver URLs checked at start: https (unless http is allowed), a host, no
credentials, and no literal address of the pod's own network (private, loopback, link-local,
unspecified, multicast, reserved) unless those are allowed; link-local (cloud metadata, e.g.
169.254.169.254) is refused always. A name that resolves to such an address is the egress
NetworkPolicy's to stop (deploy/k8s/networkpolicy.yaml): a check here would race DNS."""

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
    if address is None:
        return
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_link_local:
        raise ValueError(f"webhook URLs may not point at link-local {address} (cloud metadata)")
    internal = (
        address.is_private
        or address.is_loopback
        or address.is_unspecified
        or address.is_multicast
        or address.is_reserved
    )
    if internal and not allow_private:
        raise ValueError(
            f"webhook URLs may not point at the internal address {address} (set "
            "MYSYMBOLS_WEBHOOKS__ALLOW_PRIVATE_ADDRESSES=true for a receiver on your own network)"
        )
