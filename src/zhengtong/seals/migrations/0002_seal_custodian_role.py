from django.db import migrations


def load(apps, schema_editor):
    # The 保密室 custodian role (seed 001 第二十二、二十三条) joins the default roles.
    from zhengtong.directory.defaults import load_defaults

    load_defaults(apps.get_model("directory", "Role"), apps.get_model("directory", "UnitCategory"))


class Migration(migrations.Migration):
    dependencies = [("seals", "0001_initial"), ("directory", "0005_membership_leaders_first")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
