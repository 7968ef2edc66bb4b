"""SM3 hashing (GB/T 32905-2016, Chinese commercial cryptography) for API token secrets.

Government systems in China are expected to use the national algorithms (密评, GM/T 0054);
``gmssl`` is a pure-Python implementation, so this module stays free of Django.
"""

import hmac

from gmssl import func, sm3


def sm3_hex(data: bytes) -> str:
    """The SM3 digest of ``data`` as 64 lowercase hex digits."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError("sm3_hex() takes bytes")
    return sm3.sm3_hash(func.bytes_to_list(bytes(data)))


def digests_match(expected_hex: str, actual_hex: str) -> bool:
    """Compare two hex digests in constant time, so that timing reveals nothing."""
    return hmac.compare_digest(expected_hex.encode("ascii"), actual_hex.encode("ascii"))
