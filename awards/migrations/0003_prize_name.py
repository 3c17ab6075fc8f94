"""The prize of a line is its level's key on the campaign's ladder, no longer one of three
fixed choices, and the line keeps the level's name. Lines made before had first / second /
third, whose names were Giải Nhất / Nhì / Ba."""

from django.db import migrations, models

EARLY_NAMES = {"first": "Giải Nhất", "second": "Giải Nhì", "third": "Giải Ba"}


def name_existing_lines(apps, schema_editor):
    AwardLine = apps.get_model("awards", "AwardLine")
    for key, name in EARLY_NAMES.items():
        AwardLine.objects.filter(prize=key).update(prize_name=name)
    for line in AwardLine.objects.filter(prize_name=""):
        line.prize_name = line.prize
        line.save(update_fields=["prize_name"])


class Migration(migrations.Migration):

    dependencies = [
        ("awards", "0002_signed_decisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="awardline",
            name="prize_name",
            field=models.CharField(default="", max_length=100, verbose_name="giải"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="awardline",
            name="prize",
            field=models.CharField(max_length=20, verbose_name="mã giải"),
        ),
        migrations.RunPython(name_existing_lines, migrations.RunPython.noop),
    ]
