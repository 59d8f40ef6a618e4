"""The "Archive editors" group: may change articles and sources, not users."""

from django.db import migrations

GROUP = "Archive editors"
PERMISSIONS = [
    ("articles", "article", ["view", "change"]),
    ("articles", "source", ["view", "add", "change", "delete"]),
    ("articles", "correction", ["view"]),
]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for _, model, actions in PERMISSIONS for action in actions]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
