"""The audit chain's head sealed with the platform's SM2 seal (issue 10, point 5).

The audit trail sits below the apps and seals its chain head through whatever sealer is
registered (``audit.services.register_chain_sealer``); this one signs with the platform's
own seal (``services.platform_seal``) and keeps the whole signed envelope — signature and
certificate — in the chain seal, so that checking it needs only the platform's root, not
the trust tables an attacker with database access could rewrite along with the chain.
Unlike HMAC-SM3 under ``SECRET_KEY``, whoever holds the configuration still cannot forge a
seal without the platform's private key (GB/T 39786-2021: integrity of audit records by
digital signature; GB/T 32918 SM2).
"""

from __future__ import annotations

import json

from shuzheng.trust import services
from shuzheng.trust.validation import Verdict

#: What a chain seal made by this sealer carries as its ``algorithm``.
ALGORITHM = "SM2"
SUBJECT_KIND = "audit.chain"


class PlatformSealSealer:
    """Seals with the platform's SM2 seal; ``subject_kind`` names the chain in the
    signature's record (the audit trail's by default, ``exchange.log`` for the message log)."""

    algorithm = ALGORITHM

    def __init__(self, subject_kind: str = SUBJECT_KIND):
        self.subject_kind = subject_kind

    def prepare(self) -> None:
        """The platform's root and seal, made (and audited) on the first seal."""
        services.platform_seal()

    def sign(self, message: bytes, sequence: int) -> str:
        signature = services.sign(
            services.platform_seal(),
            message,
            by=None,
            subject_kind=self.subject_kind,
            subject_ref=f"#{sequence}",
            audited=False,
        )
        envelope = services.envelope(signature)
        return json.dumps(envelope, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def verify(self, message: bytes, signature: str) -> bool:
        return services.verify(message, signature).verdict == Verdict.TOTAL_PASSED
