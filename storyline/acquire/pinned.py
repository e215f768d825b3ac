"""The address policy (no private, loopback or link-local hosts) and the httpx transport
that enforces it at connection time.

Checking a name and then letting httpx resolve it again to connect leaves a gap: a name
with a zero TTL can pass the check and then resolve to 127.0.0.1 (DNS rebinding).
`PinnedTransport` resolves each request's host once, refuses it if any address is not
public, and connects to the checked address itself; the name stays in the Host header,
in TLS SNI and in certificate verification.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections import OrderedDict
from urllib.parse import urlsplit

import httpx

from ..errors import AddressRefused, FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
DEFAULT_PORTS = {"http": 80, "https": 443}
# Connection pools kept, one per scheme, host and port, so a TLS connection made for one
# name is never reused for another name on the same address. A batch usually fetches from
# one or two hosts; eight covers a feed that links out to a few more without pooling every
# host a long watch ever saw.
MAX_POOLS = 8


def _refusal(ip: IPAddress) -> str | None:
    """Why an address must not be fetched from, or None if it is a public one."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return _refusal(ip.ipv4_mapped)
    for kind in ("unspecified", "loopback", "link_local", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:  # shared (100.64/10), documentation and other special ranges
        return "not global"
    return None


def allowed_addresses(host: str, port: int) -> list[IPAddress]:
    """The addresses `host` resolves to now (one lookup), in the resolver's order; raises
    AddressRefused if any of them is not public and FetchError if none can be found."""
    try:
        addresses = [ipaddress.ip_address(host)]  # a literal needs no resolver
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as exc:
            raise FetchError(f"cannot resolve host {host!r}: {exc}") from exc
        # IPv6 link-local results may carry a zone ('fe80::1%eth0').
        found = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
        addresses = list(dict.fromkeys(found))
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}: no addresses")
    for ip in addresses:
        why = _refusal(ip)
        if why:
            what = host if host == str(ip) else f"{host} (resolves to {ip})"
            raise AddressRefused(
                f"refusing to fetch from {what}: {why} address; "
                "allow private addresses (--allow-private) to fetch it"
            )
    return addresses


def check_address(url: str, allow_private: bool) -> None:
    """Refuse a URL whose host resolves to any non-public address (SSRF guard).

    An early answer only (a startup error for a webhook): the connection itself is made
    by `PinnedTransport`, which checks again and connects to what it checked."""
    if allow_private:
        return
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 80)
    except ValueError as exc:
        raise FetchError(f"bad URL {url!r}: {exc}") from exc
    if not host:
        raise FetchError(f"no host in URL {url!r}")
    allowed_addresses(host, port)


def pin(request: httpx.Request, ip: IPAddress) -> httpx.Request:
    """`request` sent to `ip`: the URL's host becomes the address, while the Host header
    (set when the request was built) and, for https, SNI and certificate verification
    (httpcore's `sni_hostname` extension) keep the name."""
    host = request.url.raw_host.decode("ascii")  # IDNA-encoded, as DNS and SNI want it
    extensions = dict(request.extensions)
    if request.url.scheme == "https":
        extensions["sni_hostname"] = host
    return httpx.Request(
        request.method,
        request.url.copy_with(host=str(ip)),
        headers=request.headers,
        stream=request.stream,
        extensions=extensions,
    )


class PinnedTransport(httpx.BaseTransport):
    """Applies the address policy to every request (so to every redirect hop and retry)
    and connects only to an address it checked; with `allow_private` it passes requests
    through unchanged.

    `inner`, when given (tests pass an httpx.MockTransport), receives every pinned
    request; otherwise each scheme, host and port gets its own httpx.HTTPTransport, with
    no proxies from the environment. Used one request at a time, as the fetcher and the
    webhook sink do."""

    def __init__(self, allow_private: bool, inner: httpx.BaseTransport | None = None) -> None:
        self.allow_private = allow_private
        self._inner = inner
        self._pools: OrderedDict[tuple[str, str, int | None], httpx.BaseTransport] = OrderedDict()
        self._ssl_context: ssl.SSLContext | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        transport = self._transport_for((url.scheme, url.raw_host.decode("ascii"), url.port))
        if self.allow_private:
            return transport.handle_request(request)
        port = url.port or DEFAULT_PORTS.get(url.scheme, 80)
        addresses = allowed_addresses(url.raw_host.decode("ascii"), port)
        for ip in addresses[:-1]:  # as socket.create_connection does: the next on failure
            try:
                return transport.handle_request(pin(request, ip))
            except httpx.ConnectError:
                continue
        return transport.handle_request(pin(request, addresses[-1]))

    def _transport_for(self, key: tuple[str, str, int | None]) -> httpx.BaseTransport:
        if self._inner is not None:
            return self._inner
        transport = self._pools.pop(key, None)
        if transport is None:
            if self._ssl_context is None:  # loading the CA bundle once, not per host
                self._ssl_context = httpx.create_ssl_context(trust_env=False)
            transport = httpx.HTTPTransport(verify=self._ssl_context, trust_env=False)
        self._pools[key] = transport  # most recently used last
        while len(self._pools) > MAX_POOLS:
            _, oldest = self._pools.popitem(last=False)
            oldest.close()
        return transport

    def close(self) -> None:
        if self._inner is not None:
            self._inner.close()
        while self._pools:
            _, transport = self._pools.popitem()
            transport.close()
