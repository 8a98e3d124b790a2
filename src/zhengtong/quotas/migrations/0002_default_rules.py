"""The default update quotas of seed 000 (一)3 and seed 003 第十六条."""

from django.db import migrations


def load(apps, schema_editor):
    from zhengtong.quotas.defaults import load_default_rules

    load_default_rules(apps.get_model("quotas", "QuotaRule"))


class Migration(migrations.Migration):
    dependencies = [("quotas", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
