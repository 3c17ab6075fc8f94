"""The one-entry payment of a dossier (one day, one voucher for every prize) is gone: 0005
carried each such entry onto the dossier's recipients, one payment each."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("awards", "0005_lump_payment_to_recipients"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="dossier",
            name="paid_on",
        ),
        migrations.RemoveField(
            model_name="dossier",
            name="payment_reference",
        ),
    ]
