from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "unisupport.programmes"
    label = "programmes"
    verbose_name = _("Enhanced programmes")

    def ready(self) -> None:
        from unisupport.orders.events import version_bought
        from unisupport.programmes.services import plan_on_purchase

        # An imported version or an accepted line may bring an enhanced offering: its programme's
        # milestones are planned in the order's own transaction (orders never imports programmes).
        version_bought.connect(plan_on_purchase, dispatch_uid="programmes-plan-on-purchase")
