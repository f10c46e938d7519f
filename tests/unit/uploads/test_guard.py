"""The SSRF address classifier: only public unicast addresses pass, whatever form an address takes."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.uploads import FetchFailed, UrlNotAllowed
from app.net.guard import BLOCKED_V4, BLOCKED_V6, AddressGuard, is_public, parse_allowlist

v4 = st.integers(min_value=0, max_value=2**32 - 1).map(IPv4Address)
v6 = st.integers(min_value=0, max_value=2**128 - 1).map(IPv6Address)


def mapped(ip: IPv4Address) -> IPv6Address:
    return IPv6Address(f"::ffff:{ip}")


def nat64(ip: IPv4Address) -> IPv6Address:
    return IPv6Address(int(IPv6Address("64:ff9b::")) | int(ip))


def sixtofour(ip: IPv4Address) -> IPv6Address:
    return IPv6Address((0x2002 << 112) | (int(ip) << 80) | 1)


@given(v4)
def test_ipv4_is_never_looser_than_the_standard_library(ip: IPv4Address) -> None:
    if is_public(ip):
        assert ip.is_global
        assert not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved)


@given(v6)
def test_ipv6_public_means_global_unicast(ip: IPv6Address) -> None:
    if (
        is_public(ip)
        and ip.ipv4_mapped is None
        and ip.sixtofour is None
        and ip not in ip_network("64:ff9b::/96")
    ):
        assert ip in ip_network("2000::/3")
        assert not (
            ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_site_local or ip.is_private
        )


@given(v4)
def test_ipv6_forms_of_an_ipv4_address_are_judged_as_that_address(ip: IPv4Address) -> None:
    assert is_public(mapped(ip)) == is_public(nat64(ip)) == is_public(sixtofour(ip)) == is_public(ip)


@given(st.sampled_from(BLOCKED_V4 + BLOCKED_V6), st.integers(min_value=0))
def test_every_address_in_a_blocked_range_is_blocked(network: object, offset: int) -> None:
    net = ip_network(str(network))
    assert not is_public(net[offset % net.num_addresses])


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.100.100.200",
     "0.0.0.0",  # noqa: S104
     "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
     "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2001:db8::1",
     "2001::1", "::127.0.0.1"],
)  # fmt: skip
def test_known_internal_addresses_are_blocked(address: str) -> None:
    assert not is_public(ip_address(address))


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450::1"]
)
def test_public_addresses_pass(address: str) -> None:
    assert is_public(ip_address(address))


def test_allowlist_exempts_one_socket_address_only() -> None:
    guard = AddressGuard(["127.0.0.1:8081", "[::1]:9000"])
    assert guard.allowed(IPv4Address("127.0.0.1"), 8081)
    assert guard.allowed(IPv6Address("::1"), 9000)
    assert not guard.allowed(IPv4Address("127.0.0.1"), 8082)
    assert not guard.allowed(IPv4Address("127.0.0.2"), 8081)
    with pytest.raises(ValueError, match="IP:port"):
        parse_allowlist(["127.0.0.1"])


async def test_a_name_passes_only_if_every_address_it_resolves_to_is_public() -> None:
    answers = {"mixed.example": ["8.8.8.8", "10.0.0.1"], "public.example": ["8.8.4.4", "2a00:1450::1"]}

    async def resolver(host: str, port: int) -> list[IPv4Address | IPv6Address]:
        if host not in answers:
            raise OSError("no such host")
        return [ip_address(a) for a in answers[host]]

    guard = AddressGuard(resolver=resolver)
    assert await guard.pick("public.example", 443) == IPv4Address("8.8.4.4")
    with pytest.raises(UrlNotAllowed):
        await guard.pick("mixed.example", 443)
    with pytest.raises(FetchFailed):
        await guard.pick("nowhere.example", 443)
    with pytest.raises(UrlNotAllowed):
        await guard.pick("169.254.169.254", 80)  # literals are judged without a lookup
