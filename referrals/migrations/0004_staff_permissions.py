"""Staff permissions for referrals and the "Referral staff" group that holds them.

`referrals.review_referral` approves or rejects flagged referrals; `referrals.view_referral_report`
opens the funnel report. The group also gets access to the Wagtail admin and the view permissions
of the read-only lists (referrals, rewards, ledger entries, fraud flags). Superusers have it all."""

from django.db import migrations

GROUP = "Referral staff"
PERMISSIONS = {
    "referral": [("review_referral", "Can approve or reject flagged referrals"),
                 ("view_referral_report", "Can see the referral funnel report"),
                 ("view_referral", "Can view referral")],
    "reward": [("view_reward", "Can view referral reward")],
    "ledgerentry": [("view_ledgerentry", "Can view ledger entry")],
    "fraudflag": [("view_fraudflag", "Can view fraud flag")],
}


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=GROUP)
    for model, permissions in PERMISSIONS.items():
        content_type, _created = ContentType.objects.get_or_create(app_label="referrals", model=model)
        for codename, name in permissions:
            permission, _created = Permission.objects.get_or_create(content_type=content_type, codename=codename,
                                                                    defaults={"name": name})
            group.permissions.add(permission)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"))


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0003_member_names_and_thanks"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0005_reserved_usernames"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="referral",
            options={
                "ordering": ["-created_at"],
                "permissions": [("review_referral", "Can approve or reject flagged referrals"),
                                ("view_referral_report", "Can see the referral funnel report")],
                "verbose_name": "referral", "verbose_name_plural": "referrals",
            },
        ),
        # Unapplying leaves the group (and what other apps linked to it, such as Wagtail's collection
        # permissions) in place: deleting it while several apps are unapplied at once trips over
        # historical models from different states, and applying again finds it (get_or_create).
        migrations.RunPython(create_group, migrations.RunPython.noop),
    ]
