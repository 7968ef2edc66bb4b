"""Which webhook destinations the platform may connect to (issue 9 point 2, SSRF).

Pure Python, no Django. A webhook URL is checked when it is saved and again before every
delivery: only ``http``/``https``; the host is resolved once, *every* address it resolves to
must be a public one, and the delivery then connects to the checked address (the caller pins
it), so a DNS answer that changes between the check and the connection cannot switch the
target. Loopback, private, link-local, shared (CGNAT), multicast, reserved and unspecified
addresses are refused, also when written in another form (``0x7f.1``, ``2130706433``,
``[::ffff:127.0.0.1]``, 6to4 or NAT64 wrappers of a private IPv4 address), unless an
administrator allow-lists the host name or a network containing the address.

The reasons are for the server log and administrators only: a user is told no more than
"not allowed", so the check cannot be used to map the intranet.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
#: ``resolve(host, port)`` returns the addresses ``host`` resolves to (as strings).
Resolver = Callable[[str, int], list[str]]

SCHEMES = {"http": 80, "https": 443}
#: RFC 6761: every name under ``localhost`` is the machine itself.
LOCAL_NAMES = ("localhost", ".localhost", ".localdomain")
#: NAT64 well-known prefix (RFC 6052): the last 32 bits are an IPv4 address.
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
#: IPv4 shared address space (RFC 6598, carrier-grade NAT).
SHARED_NETWORK = ipaddress.ip_network("100.64.0.0/10")


class DestinationRefused(ValueError):
    """The URL may not be a webhook destination; ``str()`` is the reason, for the log."""


class Unresolvable(DestinationRefused):
    """The host name does not resolve (now): nothing can be checked, nothing is connected."""


@dataclass(frozen=True)
class Destination:
    """A checked destination: connect to ``address`` and speak to ``host`` (Host header,
    TLS server name and certificate check)."""

    scheme: str
    host: str
    port: int
    target: str
    address: str


@dataclass(frozen=True)
class AllowList:
    """Destinations an administrator lets through although they are not public: exact host
    names (case-insensitive) and IP networks (an address is a network of one)."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = field(default=())

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """From setting entries such as ``hooks.intranet.example``, ``10.20.0.0/16``,
        ``127.0.0.1``; an entry that looks like an address but is none raises ValueError."""
        hosts, networks = set(), []
        for entry in (e.strip() for e in entries):
            if not entry:
                continue
            network = _as_network(entry)
            if network is not None:
                networks.append(network)
            elif "/" in entry or ":" in entry or entry.replace(".", "").isdigit():
                raise ValueError(f"{entry!r} is neither a host name nor an IP address or network")
            else:
                hosts.add(entry.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def allows_address(self, address: Address) -> bool:
        return any(address in network for network in self.networks)


def _as_network(entry: str) -> Network | None:
    try:
        return ipaddress.ip_network(entry.strip("[]"), strict=False)
    except ValueError:
        return None


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses of ``host`` from the system resolver (numeric forms included)."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unresolvable(f"{host} does not resolve: {error}") from error
    return list(dict.fromkeys(answer[4][0] for answer in answers))


def check_url(
    url: str, *, allow: AllowList = AllowList(), resolve: Resolver = system_resolver
) -> Destination:
    """The destination ``url`` may be sent to, resolved and checked; else DestinationRefused."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise DestinationRefused(f"scheme {scheme or '(none)'!r} is not http or https")
    if parts.username is not None or parts.password is not None:
        raise DestinationRefused("credentials in the URL are not allowed")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise DestinationRefused("the URL has no host")
    try:
        port = parts.port or SCHEMES[scheme]
    except ValueError:
        raise DestinationRefused("the URL's port is not a number from 0 to 65535") from None
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    addresses = _addresses(host, port, resolve)
    if not allow.allows_host(host):
        if _is_local_name(host):
            raise DestinationRefused(f"{host} names this machine")
        for address in addresses:
            reason = forbidden_reason(address)
            if reason and not allow.allows_address(address):
                raise DestinationRefused(f"{host} resolves to {address}, {reason}")
    return Destination(scheme, host, port, target, str(addresses[0]))


def _addresses(host: str, port: int, resolve: Resolver) -> list[Address]:
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    answers = resolve(host, port)
    if not answers:
        raise Unresolvable(f"{host} resolves to no address")
    return [ipaddress.ip_address(answer.split("%", 1)[0]) for answer in answers]


def literal_address(host: str) -> Address | None:
    """``host`` as an IP address if it is one in any notation the C library accepts:
    ``::1``, ``127.0.0.1``, and the IPv4 shorthands ``127.1``, ``0x7f.1``, ``0177.0.0.1``,
    ``2130706433``, which a resolver would turn into the same address."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if not all(part.isalnum() for part in host.split(".")) or not host[0].isdigit():
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _is_local_name(host: str) -> bool:
    host = host.lower()
    return host == LOCAL_NAMES[0] or host.endswith(LOCAL_NAMES[1:])


def forbidden_reason(address: Address) -> str | None:
    """Why ``address`` is no public destination (None when it is one). IPv6 forms that
    carry an IPv4 address (mapped, 6to4, Teredo, NAT64) are judged by that address too."""
    reason = _range_reason(address)
    if reason:
        return reason
    embedded = embedded_ipv4(address)
    if embedded is not None:
        inner = _range_reason(embedded)
        if inner:
            return f"{inner} (as {embedded})"
    return None


def _range_reason(address: Address) -> str | None:
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("shared address space (CGNAT)", address in SHARED_NETWORK),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("not globally routable", not address.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv6 one that carries one, else None."""
    if address.version == 4:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    # Deprecated IPv4-compatible addresses (::a.b.c.d).
    if int(address) >> 32 == 0 and int(address) > 1:
        return ipaddress.IPv4Address(int(address))
    return None
