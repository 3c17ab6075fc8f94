"""`manage.py award_dossiers`: dossiers for periods rolled up before the awards app existed."""

from io import StringIO

from django.core.management import call_command

from awards.models import Dossier
from scoring.models import Snapshot


def test_makes_the_missing_dossier_once(rolled):
    Dossier.objects.all().delete()  # as if rolled up before the awards app was installed
    out = StringIO()
    call_command("award_dossiers", stdout=out)
    dossier = Dossier.objects.get()
    assert dossier.snapshot == Snapshot.objects.get() and dossier.lines.count() == 3
    assert "1 hồ sơ mới" in out.getvalue()
    call_command("award_dossiers", stdout=StringIO())
    assert Dossier.objects.count() == 1
