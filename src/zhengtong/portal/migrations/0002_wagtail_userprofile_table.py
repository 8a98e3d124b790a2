"""The table of Wagtail's admin user profile (language, notifications).

wagtail.users is not installed (our accounts live in the directory), yet the Wagtail admin reads
wagtail.users.models.UserProfile on every request; Django files that model under the "wagtailcore"
app, whose migrations do not create it. Create its table here, once.
"""

from django.db import migrations


def create_table(apps, schema_editor):
    from wagtail.users.models import UserProfile

    if UserProfile._meta.db_table not in schema_editor.connection.introspection.table_names():
        schema_editor.create_model(UserProfile)


def drop_table(apps, schema_editor):
    from wagtail.users.models import UserProfile

    if UserProfile._meta.db_table in schema_editor.connection.introspection.table_names():
        schema_editor.delete_model(UserProfile)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
