"""Who is asking: the key a rate limit counts requests under.

The identity an authentication layer put in ``environ[IDENTITY]`` (an API key's name) when there
is one, else the client's address: the peer's address, or — when the peer is a trusted reverse
proxy (``DOTHI_API_TRUSTED_PROXIES``) — the nearest address in ``X-Forwarded-For`` that is not
itself a trusted proxy.  A client cannot choose its key: a forwarded address is believed only
from a trusted proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from api_config.security.identity import ENVIRON_KEY as IDENTITY  # set by the authentication layer

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[Network, ...]:
    """``"10.0.0.1, 192.168.0.0/16"`` → networks; raises ValueError naming a bad entry."""
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"DOTHI_API_TRUSTED_PROXIES: {part!r} is not an address or network") from exc
    return tuple(out)


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(environ: dict[str, Any], trusted: tuple[Network, ...]) -> str:
    """The client's address, seen through trusted proxies only."""
    peer = str(environ.get("REMOTE_ADDR", ""))
    if not _trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in str(environ.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer


def client_key(environ: dict[str, Any], trusted: tuple[Network, ...]) -> str:
    identity = environ.get(IDENTITY)
    if identity:
        return f"id:{identity}"
    return f"ip:{client_address(environ, trusted)}"
