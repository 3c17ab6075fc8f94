"""The awards app listens to the roll-up: a new snapshot makes the period's draft dossier, a
reopened period cancels it. Both signals are sent inside scoring's transactions, so what is
written here commits or rolls back with the snapshot, and an exception raised here aborts the
roll-up or the reopen (that is how an approved dossier blocks a reopen)."""

from django.dispatch import receiver

from campaign.signals import demo_loaded
from scoring.signals import period_reopened, snapshot_created

from . import services
from .services.decisions import demo_signing_install


@receiver(snapshot_created, dispatch_uid="awards.create_dossier_for_snapshot")
def create_dossier_for_snapshot(sender, snapshot, **kwargs):
    services.dossier_create_for_snapshot(snapshot=snapshot)


@receiver(period_reopened, dispatch_uid="awards.cancel_dossier_on_reopen")
def cancel_dossier_on_reopen(sender, period, snapshot=None, user=None, reason="", **kwargs):
    services.dossier_cancel_for_reopen(period=period, user=user, reason=reason)


@receiver(demo_loaded, dispatch_uid="awards.install_demo_signing")
def install_demo_signing(sender, organisation, **kwargs):
    demo_signing_install(organisation=organisation)
