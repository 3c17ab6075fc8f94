"""A payment per recipient: each collective's and each person's prize of a decided dossier is
paid on its own date against its own voucher (awards.models.Payment). The former one-entry
payment of the whole dossier is carried over by 0005 and its fields removed by 0006."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0003_prize_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Payment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.PositiveBigIntegerField(verbose_name='số tiền (đồng)')),
                ('paid_on', models.DateField(verbose_name='ngày chi')),
                ('voucher', models.CharField(blank=True, max_length=100, verbose_name='chứng từ chi')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ghi nhận lúc')),
                ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='hủy lúc')),
                ('cancel_reason', models.TextField(blank=True, verbose_name='lý do hủy')),
            ],
            options={
                'verbose_name': 'khoản chi tiền thưởng',
                'verbose_name_plural': 'khoản chi tiền thưởng',
                'ordering': ['recorded_at', 'id'],
            },
        ),
        # A paid dossier's date is now its payments'; removed here, before 0005 moves the data,
        # so that going back (0005 gives the dates back first) can add it again.
        migrations.RemoveConstraint(
            model_name='dossier',
            name='paid_dossier_has_date',
        ),
        migrations.AlterField(
            model_name='dossierevent',
            name='action',
            field=models.CharField(choices=[('created', 'Lập hồ sơ (tổng hợp)'), ('submitted', 'Trình thẩm định'), ('returned', 'Trả lại để bổ sung'), ('appraised', 'Thẩm định'), ('approved', 'Phê duyệt'), ('payment', 'Ghi nhận chi trả'), ('unpaid', 'Hủy ghi nhận chi trả'), ('paid', 'Chi trả xong'), ('cancelled', 'Hủy do mở lại kỳ')], max_length=10, verbose_name='thao tác'),
        ),
        migrations.AddField(
            model_name='payment',
            name='cancelled_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người hủy'),
        ),
        migrations.AddField(
            model_name='payment',
            name='individual',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='awards.individual', verbose_name='cá nhân'),
        ),
        migrations.AddField(
            model_name='payment',
            name='line',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='awards.awardline', verbose_name='giải tập thể'),
        ),
        migrations.AddField(
            model_name='payment',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ghi nhận'),
        ),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('individual__isnull', True), ('line__isnull', False)), models.Q(('individual__isnull', False), ('line__isnull', True)), _connector='OR'), name='payment_has_one_recipient'),
        ),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.UniqueConstraint(condition=models.Q(('cancelled_at__isnull', True), ('line__isnull', False)), fields=('line',), name='one_standing_payment_per_line'),
        ),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.UniqueConstraint(condition=models.Q(('cancelled_at__isnull', True), ('individual__isnull', False)), fields=('individual',), name='one_standing_payment_per_individual'),
        ),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('cancel_reason', ''), ('cancelled_at__isnull', True)), models.Q(('cancelled_at__isnull', False), models.Q(('cancel_reason', ''), _negated=True)), _connector='OR'), name='cancelled_payment_has_reason'),
        ),
    ]
