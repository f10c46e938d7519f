"""PinnedTransport over TLS: the connection goes to the checked address while TLS still names (SNI) and
verifies the host, so pinning never weakens certificate checks."""

from __future__ import annotations

import datetime as dt
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import IPv4Address, IPv6Address, ip_address
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.domain.uploads import UrlNotAllowed
from app.net import AddressGuard, PinnedTransport


def self_signed(name: str, folder: Path) -> tuple[Path, Path, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    pem = cert.public_bytes(serialization.Encoding.PEM)
    (folder / "cert.pem").write_bytes(pem)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return folder / "cert.pem", folder / "key.pem", pem


class TlsOrigin:
    def __init__(self, cert: Path, key: Path) -> None:
        self.sni: list[str | None] = []
        self.hosts: list[str] = []
        origin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                origin.hosts.append(self.headers.get("Host", ""))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        context.sni_callback = lambda _sock, name, _ctx: self.sni.append(name)  # type: ignore[func-returns-value]
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def tls_origin(tmp_path: Path) -> Iterator[tuple[TlsOrigin, bytes]]:
    cert, key, pem = self_signed("assets.example", tmp_path)
    origin = TlsOrigin(cert, key)
    yield origin, pem
    origin.server.shutdown()
    origin.server.server_close()


def pinned_client(port: int, pem: bytes, lookups: list[str]) -> httpx.AsyncClient:
    async def resolver(host: str, _port: int) -> list[IPv4Address | IPv6Address]:
        lookups.append(host)
        return [ip_address("127.0.0.1")]

    guard = AddressGuard([f"127.0.0.1:{port}"], resolver=resolver)
    inner = httpx.AsyncHTTPTransport(verify=ssl.create_default_context(cadata=pem.decode()), retries=0)
    return httpx.AsyncClient(transport=PinnedTransport(guard, inner), trust_env=False)


async def test_tls_names_the_host_while_connecting_to_the_pinned_address(
    tls_origin: tuple[TlsOrigin, bytes],
) -> None:
    origin, pem = tls_origin
    lookups: list[str] = []
    async with pinned_client(origin.port, pem, lookups) as client:
        response = await client.get(f"https://assets.example:{origin.port}/x")
    assert (response.status_code, response.text) == (200, "ok")
    assert lookups == ["assets.example"]  # resolved once, by the guard: the system never saw this name
    assert origin.sni == ["assets.example"]
    assert origin.hosts == [f"assets.example:{origin.port}"]


async def test_the_certificate_is_still_checked_against_the_name(tls_origin: tuple[TlsOrigin, bytes]) -> None:
    origin, pem = tls_origin
    async with pinned_client(origin.port, pem, []) as client:
        with pytest.raises(httpx.ConnectError, match=r"CERTIFICATE_VERIFY_FAILED|match"):
            await client.get(f"https://impostor.example:{origin.port}/x")  # same address, wrong name


async def test_the_transport_refuses_by_itself_whatever_the_client_does(
    tls_origin: tuple[TlsOrigin, bytes],
) -> None:
    origin, pem = tls_origin
    async with pinned_client(origin.port, pem, []) as client:
        with pytest.raises(UrlNotAllowed):
            await client.get("http://169.254.169.254/latest/meta-data/", follow_redirects=True)
        with pytest.raises(UrlNotAllowed):
            await client.get(f"https://localhost:{origin.port + 1}/")
