"""Campaigns as data: the baseline date of R1, the launching dispatch's reference, one legal
act a line, and the prize ladder as rows (each existing campaign's first / second / third
prizes become its first three levels)."""

import datetime

import django.db.models.deletion
from django.db import migrations, models


LEVELS = (("first", "Giải Nhất"), ("second", "Giải Nhì"), ("third", "Giải Ba"))


def forwards(apps, schema_editor):
    Campaign = apps.get_model("campaign", "Campaign")
    PrizeLevel = apps.get_model("campaign", "PrizeLevel")
    for campaign in Campaign.objects.all():
        campaign.baseline_date = datetime.date(campaign.year - 1, 12, 31)
        campaign.save(update_fields=["baseline_date"])
        for position, (key, name) in enumerate(LEVELS, start=1):
            PrizeLevel.objects.create(
                campaign=campaign, position=position, key=key, name=name,
                count=getattr(campaign, f"{key}_prize_quota"),
                amount=getattr(campaign, f"{key}_prize_amount"),
                individuals=getattr(campaign, f"{key}_prize_individuals"),
            )


def backwards(apps, schema_editor):
    Campaign = apps.get_model("campaign", "Campaign")
    for campaign in Campaign.objects.all():
        for level in campaign.prize_levels.filter(key__in=[key for key, _ in LEVELS]):
            setattr(campaign, f"{level.key}_prize_quota", level.count)
            setattr(campaign, f"{level.key}_prize_amount", level.amount)
            setattr(campaign, f"{level.key}_prize_individuals", level.individuals)
        campaign.save()


class Migration(migrations.Migration):

    dependencies = [
        ('campaign', '0005_import_cancelled'),
    ]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='baseline_date',
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name='campaign',
            name='dispatch_date',
            field=models.DateField(blank=True, null=True, verbose_name='ngày văn bản phát động'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='dispatch_number',
            field=models.CharField(blank=True, help_text='Ví dụ: 1234/BHXH-TCHC', max_length=50, verbose_name='số văn bản phát động'),
        ),
        migrations.AlterField(
            model_name='campaign',
            name='legal_basis',
            field=models.TextField(blank=True, help_text='Mỗi dòng một văn bản, như in sau chữ «Căn cứ» trong quyết định khen thưởng.', verbose_name='căn cứ pháp lý'),
        ),
        migrations.CreateModel(
            name='PrizeLevel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(verbose_name='thứ tự trao')),
                ('key', models.SlugField(help_text='Chữ thường không dấu, ví dụ first, khuyen-khich.', max_length=20, verbose_name='mã giải')),
                ('name', models.CharField(max_length=100, verbose_name='tên giải')),
                ('count', models.PositiveSmallIntegerField(verbose_name='số giải mỗi kỳ')),
                ('amount', models.PositiveBigIntegerField(verbose_name='tiền thưởng tập thể (đồng)')),
                ('individuals', models.PositiveSmallIntegerField(verbose_name='số cá nhân mỗi tập thể')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='prize_levels', to='campaign.campaign', verbose_name='phong trào')),
            ],
            options={
                'verbose_name': 'mức giải',
                'verbose_name_plural': 'các mức giải',
                'ordering': ['campaign', 'position'],
                'constraints': [models.UniqueConstraint(fields=('campaign', 'position'), name='one_prize_level_per_position'), models.UniqueConstraint(fields=('campaign', 'key'), name='one_prize_level_per_key')],
            },
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name='campaign',
            name='baseline_date',
            field=models.DateField(blank=True, help_text='Số người phải phát triển = kế hoạch − số người tham gia đến ngày này; để trống là ngày 31/12 năm trước.', verbose_name='ngày chốt số người tham gia ban đầu'),
        ),
    ]
