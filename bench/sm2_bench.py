"""SM2 signatures and verifications per second: shuzheng.crypto (tongsuopy) against the other
SM2 implementations on PyPI, in the same run on the same message.

    .venv/bin/python bench/sm2_bench.py [--seconds 2]

The peers are bench-only and optional (`.venv/bin/pip install gmssl gmssl-fast gmssl-pyx`);
a missing one is skipped with a message. Figures go to docs/benchmarks.md ("SM2").
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

from shuzheng import crypto

MESSAGE = "电子证照 · 照面信息 · 签发机构".encode() * 8


def rate(operation: Callable[[], object], seconds: float) -> float:
    """Operations per second over at least ``seconds``."""
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        operation()
        count += 1
    return count / elapsed


def shuzheng_candidate():
    private = crypto.sm2_generate_private_key()
    public = crypto.sm2_public_key(private)
    signature = crypto.sm2_sign(private, MESSAGE)
    assert crypto.sm2_verify(public, MESSAGE, signature)
    return (
        lambda: crypto.sm2_sign(private, MESSAGE),
        lambda: crypto.sm2_verify(public, MESSAGE, signature),
    )


def gmssl_fast_candidate():
    import gmssl_fast

    key = gmssl_fast.SM2.generate()
    signature = key.sign(MESSAGE)
    assert key.verify(MESSAGE, signature)
    return lambda: key.sign(MESSAGE), lambda: key.verify(MESSAGE, signature)


def gmssl_pyx_candidate():
    from gmssl_pyx import sm2_key_generate, sm2_sign, sm2_verify

    public, private = sm2_key_generate()
    signature = sm2_sign(private, public, MESSAGE)
    assert sm2_verify(public, MESSAGE, signature)
    return (
        lambda: sm2_sign(private, public, MESSAGE),
        lambda: sm2_verify(public, MESSAGE, signature),
    )


def gmssl_candidate():
    from gmssl import func, sm2

    private = func.random_hex(64)
    probe = sm2.CryptSM2(private_key=private, public_key="")
    public = probe._kg(int(private, 16), sm2.default_ecc_table["g"])
    signer = sm2.CryptSM2(private_key=private, public_key=public)
    signature = signer.sign_with_sm3(MESSAGE)
    assert signer.verify_with_sm3(signature, MESSAGE)
    return (
        lambda: signer.sign_with_sm3(MESSAGE),
        lambda: signer.verify_with_sm3(signature, MESSAGE),
    )


CANDIDATES = {
    "tongsuopy (shuzheng.crypto)": shuzheng_candidate,
    "gmssl-fast": gmssl_fast_candidate,
    "gmssl-pyx": gmssl_pyx_candidate,
    "gmssl (pure Python)": gmssl_candidate,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load: {os.getloadavg()[0]:.2f}, seconds: {args.seconds}")
    print(f"{'library':<30} {'sign/s':>10} {'verify/s':>10}")
    for name, build in CANDIDATES.items():
        try:
            sign, verify = build()
        except ImportError as error:
            print(f"{name:<30} skipped: {error}")
            continue
        print(f"{name:<30} {rate(sign, args.seconds):>10.0f} {rate(verify, args.seconds):>10.0f}")


if __name__ == "__main__":
    main()
