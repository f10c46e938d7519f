"""Which addresses a server-side fetch may connect to: public unicast only.

Blocked: loopback, private (RFC 1918), carrier-grade NAT, link-local (with the cloud metadata endpoints
169.254.169.254 and fd00:ec2::254), unique-local IPv6, multicast, documentation, benchmarking and reserved
ranges, and IPv6 forms that embed one of those IPv4 addresses (mapped, NAT64, 6to4). IPv6 must also be
global unicast (2000::/3).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from app.domain.uploads import FetchFailed, UrlNotAllowed

IPAddress = IPv4Address | IPv6Address
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

BLOCKED_V4 = [
    ip_network(n)
    for n in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
        "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    )
]  # fmt: skip
BLOCKED_V6 = [
    ip_network(n)
    for n in (
        "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "3fff::/20", "5f00::/16",
        "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    )
]  # fmt: skip
GLOBAL_UNICAST_V6 = IPv6Network("2000::/3")
NAT64 = IPv6Network("64:ff9b::/96")
METADATA = (IPv4Address("169.254.169.254"), IPv6Address("fd00:ec2::254"))  # inside the blocked ranges


def is_public(ip: IPAddress) -> bool:
    """True when a fetch may connect to this address."""
    if isinstance(ip, IPv6Address):
        ip = IPv6Address(int(ip))  # drop any %scope
        embedded = _embedded_v4(ip)
        if embedded is not None:
            return is_public(embedded)
        return ip in GLOBAL_UNICAST_V6 and not _within(ip, BLOCKED_V6)
    return not _within(ip, BLOCKED_V4)


def _within(ip: IPAddress, networks: Iterable[IPv4Network | IPv6Network]) -> bool:
    return any(ip in network for network in networks)


def _embedded_v4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, when it is a translation form of one."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def parse_allowlist(entries: Sequence[str]) -> frozenset[tuple[IPAddress, int]]:
    """`IP:port` / `[IPv6]:port` socket addresses exempt from the block (tests' own origin servers only)."""
    allowed: set[tuple[IPAddress, int]] = set()
    for entry in entries:
        host, sep, port = entry.strip().rpartition(":")
        if not sep or not port.isdigit():
            raise ValueError(f"allowlist entry {entry!r} is not IP:port")
        allowed.add((ip_address(host.strip("[]")), int(port)))
    return frozenset(allowed)


async def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address the system resolver gives for host (the one DNS lookup of a hop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_ADDRCONFIG
    )  # AI_ADDRCONFIG: only families this host can reach, so the first address is a usable one
    return [ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


class AddressGuard:
    """Resolves a host ONCE and answers the address to connect to, or refuses (every address must pass)."""

    def __init__(self, allow: Sequence[str] = (), resolver: Resolver = resolve_host) -> None:
        self.allow = parse_allowlist(allow)
        self.resolver = resolver

    def allowed(self, ip: IPAddress, port: int) -> bool:
        return is_public(ip) or (ip, port) in self.allow

    async def pick(self, host: str, port: int) -> IPAddress:
        addresses = await self._addresses(host, port)
        if not addresses:
            raise FetchFailed(f"could not resolve {host}")
        if not all(self.allowed(ip, port) for ip in addresses):
            raise UrlNotAllowed(
                "the URL points to a private, loopback or reserved address", details={"field": "fileUrl"}
            )
        return addresses[0]

    async def _addresses(self, host: str, port: int) -> list[IPAddress]:
        try:
            return [ip_address(host.strip("[]"))]
        except ValueError:
            pass  # a name, not a literal address
        try:
            return await self.resolver(host, port)
        except (OSError, UnicodeError) as error:
            raise FetchFailed(f"could not resolve {host}") from error
