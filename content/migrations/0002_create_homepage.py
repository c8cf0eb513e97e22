"""Replace Wagtail's "Welcome" placeholder with our HomePage as the default site's root, so a
fresh database serves a real home page after `migrate` alone."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("content.HomePage")

    if HomePage.objects.exists():
        return
    # The placeholder made by wagtailcore's initial data; deleting it also deletes its Site.
    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore", content_type__model="page").delete()
    root = Page.objects.get(depth=1)
    locale = Locale.objects.order_by("pk").first()
    homepage_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="content")
    last_child = Page.objects.filter(depth=2, path__startswith=root.path).order_by("-path").first()
    step = int(last_child.path[-4:], 36) + 1 if last_child else 1
    path = root.path + _base36(step).rjust(4, "0")
    home = HomePage.objects.create(
        title="Welcome to the community",
        draft_title="Welcome to the community",
        slug="home",
        content_type=homepage_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
        intro="Stories, lookbooks and a place to talk with everyone who wears the brand.",
    )
    root.numchild = Page.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Brand Community")


def _base36(number):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while number:
        number, rem = divmod(number, 36)
        out = digits[rem] + out
    return out or "0"


def remove_homepage(apps, schema_editor):
    apps.get_model("content.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
