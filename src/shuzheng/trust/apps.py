from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "shuzheng.trust"
    verbose_name = _("Trust services")

    def ready(self):
        from shuzheng.audit.services import register_chain_sealer
        from shuzheng.trust import verify_inputs
        from shuzheng.trust.chain_seals import PlatformSealSealer

        # The audit chain's head is sealed with the platform's SM2 seal from now on.
        register_chain_sealer(PlatformSealSealer())
        # What the verification page and API verify (trust.verification).
        verify_inputs.register()
