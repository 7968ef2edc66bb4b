"""One HTTP(S) POST to a checked webhook destination, connected to the checked address.

``http.client`` speaks to ``destination.host`` (Host header, TLS server name, certificate
check) while the socket goes to ``destination.address``, the address the destination policy
approved: the name is not resolved a second time, so DNS rebinding cannot switch the target.
Redirects are never followed (``http.client`` does not), and no proxy is used.
"""

from __future__ import annotations

import http.client
import socket
import ssl

from shuzheng.notifications.destinations import Destination


class TransportError(Exception):
    """The request did not get an answer; ``timed_out`` tells a timeout from the rest."""

    def __init__(self, message: str, *, timed_out: bool = False):
        super().__init__(message)
        self.timed_out = timed_out


def post(
    destination: Destination, body: bytes, headers: dict[str, str], timeout: float
) -> tuple[int, str]:
    """POST ``body`` and return the answer's status code and reason phrase; the answer's
    body is never read."""
    connection = _connection(destination, timeout)
    try:
        connection.request("POST", destination.target, body=body, headers=headers)
        with connection.getresponse() as response:
            return response.status, response.reason
    except TimeoutError as error:
        raise TransportError(f"timed out: {error}", timed_out=True) from error
    except (OSError, http.client.HTTPException) as error:
        raise TransportError(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()


def _connection(destination: Destination, timeout: float) -> http.client.HTTPConnection:
    if destination.scheme == "https":
        connection = http.client.HTTPSConnection(
            destination.host,
            destination.port,
            timeout=timeout,
            context=ssl.create_default_context(),
        )
    else:
        connection = http.client.HTTPConnection(destination.host, destination.port, timeout=timeout)
    connection._create_connection = _pinned_to(destination.address)
    return connection


def _pinned_to(address: str):
    """A ``socket.create_connection`` that ignores the host it is given and connects to
    ``address`` (the port stays)."""

    def create_connection(host_port, timeout=None, source_address=None):
        return socket.create_connection((address, host_port[1]), timeout, source_address)

    return create_connection
