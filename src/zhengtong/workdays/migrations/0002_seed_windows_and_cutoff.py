"""Seed 000: receive twice a day, 10:00–10:30 and 16:00–16:30; seed 001 第三十条: cutoff 15:00."""

from django.db import migrations


def seed(apps, schema_editor):
    from zhengtong.workdays.models import ensure_defaults

    ensure_defaults(apps.get_model("workdays", "WorkdaySettings"), apps.get_model("workdays", "ReceivingWindow"))


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
