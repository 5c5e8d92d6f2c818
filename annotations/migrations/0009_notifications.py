"""Notices of decisions on one's claims, and each person's choice of e-mail for them."""

import annotations.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0008_revisions_kept'),
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NotificationSettings',
            fields=[
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='notification_settings', serialize=False, to=settings.AUTH_USER_MODEL)),
                ('email', models.BooleanField(default=True, help_text='Send an e-mail for each notice, besides showing it here.', verbose_name='E-mail me')),
            ],
            options={
                'verbose_name_plural': 'notification settings',
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('changes_requested', 'Changes requested'), ('rejected', 'Rejected'), ('published', 'Approved and published'), ('corrected', 'Correction approved and published'), ('reopened', 'Reopened for correction'), ('retracted', 'Retracted'), ('article_changed', 'Sent back to review: the article changed')], max_length=30, validators=[annotations.validators.validate_clean_text])),
                ('comment', models.TextField(blank=True, validators=[annotations.validators.validate_clean_text])),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, validators=[annotations.validators.validate_moment])),
                ('read_at', models.DateTimeField(blank=True, null=True, validators=[annotations.validators.validate_moment])),
                ('emailed_at', models.DateTimeField(blank=True, null=True, validators=[annotations.validators.validate_moment])),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='annotations.claim')),
                ('recipient', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['recipient', '-created_at', '-id'], name='notification_list_idx'), models.Index(fields=['recipient', 'read_at'], name='notification_unread_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['changes_requested', 'rejected', 'published', 'corrected', 'reopened', 'retracted', 'article_changed'])), name='notification_kind_known')],
            },
        ),
    ]
