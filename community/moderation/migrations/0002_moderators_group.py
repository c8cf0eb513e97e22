"""The "Moderators" group: the moderation permission and access to the Wagtail admin. Until now
every active staff member moderated; they go into the group so that nobody loses rights
(superusers moderate anyway)."""

from django.db import migrations


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("members", "User")
    report_type, _created = ContentType.objects.get_or_create(app_label="moderation", model="report")
    moderate, _created = Permission.objects.get_or_create(content_type=report_type, codename="moderate",
                                                          defaults={"name": "Can moderate what members write"})
    group, _created = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(moderate, *Permission.objects.filter(content_type__app_label="wagtailadmin",
                                                               codename="access_admin"))
    for user in User.objects.filter(is_staff=True, is_superuser=False, is_active=True, deleted_at__isnull=True):
        user.groups.add(group)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("members", "0002_notifications"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
