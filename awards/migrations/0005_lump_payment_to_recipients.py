"""The one-entry payment of a dossier (its date and voucher for the whole decision) becomes a
payment of each of its collectives and persons, with that date, that voucher and the decided
amount; recorded by whoever took the former step, at the time they took it.

Backwards, a dossier's standing payments give the one entry back: the latest date, and the
vouchers, each once, in the order they were used (cut to the former field's 100 characters)."""

from django.db import migrations
from django.db.models import Q

FORMER_REFERENCE_LENGTH = 100


def lump_to_recipients(apps, schema_editor):
    Dossier = apps.get_model("awards", "Dossier")
    DossierEvent = apps.get_model("awards", "DossierEvent")
    Payment = apps.get_model("awards", "Payment")
    for dossier in Dossier.objects.filter(paid_on__isnull=False).order_by("pk"):
        step = (DossierEvent.objects.filter(dossier=dossier, action="paid")
                .order_by("-at", "-id").first())
        common = {"paid_on": dossier.paid_on, "voucher": dossier.payment_reference}
        if step is not None:
            common |= {"recorded_at": step.at, "recorded_by_id": step.actor_id}
        payments = []
        for line in dossier.lines.order_by("position"):
            payments.append(Payment(line=line, amount=line.amount, **common))
            for individual in line.individuals.order_by("slot"):
                payments.append(Payment(individual=individual, amount=individual.amount, **common))
        Payment.objects.bulk_create(payments)


def recipients_to_lump(apps, schema_editor):
    Dossier = apps.get_model("awards", "Dossier")
    Payment = apps.get_model("awards", "Payment")
    for dossier in Dossier.objects.filter(state="paid").order_by("pk"):
        payments = list(
            Payment.objects.filter(Q(line__dossier=dossier) | Q(individual__line__dossier=dossier),
                                   cancelled_at__isnull=True)
            .order_by("recorded_at", "id")
        )
        if not payments:
            continue
        vouchers = list(dict.fromkeys(p.voucher for p in payments if p.voucher))
        dossier.paid_on = max(p.paid_on for p in payments)
        dossier.payment_reference = "; ".join(vouchers)[:FORMER_REFERENCE_LENGTH]
        dossier.save(update_fields=["paid_on", "payment_reference"])
    Payment.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("awards", "0004_payment_per_recipient"),
    ]

    operations = [
        migrations.RunPython(lump_to_recipients, recipients_to_lump),
    ]
