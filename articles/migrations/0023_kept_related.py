"""Related coverage ranked ahead of readers and kept (KeptRelated), and the articles changed
since that are still to be weighed against the kept lists (RelateTask)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0022_undated_order_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='KeptRelated',
            fields=[
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='kept_related', serialize=False, to='articles.article')),
                ('rows', models.JSONField(help_text="[id, same event?, [its copies' ids]] in listed order.")),
                ('bar', models.JSONField(help_text="How related its last row is (the ranking's order); an article changed later that ranks above it enters the list. None: the list is short.", null=True)),
                ('ranked_at', models.DateTimeField(help_text='When the ranking started: changes queued later are not in it.')),
            ],
            options={
                'verbose_name': 'kept related coverage',
                'verbose_name_plural': 'kept related coverage',
            },
        ),
        migrations.CreateModel(
            name='RelateTask',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('article_id', models.BigIntegerField()),
                ('queued_at', models.DateTimeField(auto_now_add=True, db_index=True)),
            ],
            options={
                'ordering': ['id'],
            },
        ),
    ]
