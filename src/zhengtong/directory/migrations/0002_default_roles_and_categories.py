from django.db import migrations


def load(apps, schema_editor):
    from zhengtong.directory.defaults import load_defaults

    load_defaults(apps.get_model("directory", "Role"), apps.get_model("directory", "UnitCategory"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
