"""``zhengtong demo``: load the fictional 鹤山区 and print its demo accounts."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from zhengtong.demo.data import DEFAULT_SEED, DEMO_ACCOUNTS, DEMO_PASSWORD, DISTRICT  # noqa: F401 (re-exported)
from zhengtong.demo.registry import demo_loaders
from zhengtong.demo.services import DemoCategoriesMissing, DemoDataExists, DemoResult, load_demo_district

ACCOUNTS_FILE = "demo-accounts.txt"


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
            for row in rows]


def accounts_report(result: DemoResult) -> list[str]:
    """The demo accounts and their password, as printed and written to the data directory."""
    header = [pgettext("demo accounts table", "Username"), pgettext("demo accounts table", "Name"),
              pgettext("demo accounts table", "Role"), pgettext("demo accounts table", "Unit"),
              pgettext("demo accounts table", "Post")]
    rows = [[a.username, a.name, a.role_name, a.unit, " ".join(filter(None, [a.department, a.title]))]
            for a in result.accounts]
    return [
        _("Demo accounts of %(district)s (password for all: %(password)s; no change is asked at sign-in):")
        % {"district": DISTRICT, "password": result.password},
        "",
        *_table([header, *rows]),
        "",
        _("The other %(count)d people have no usable password yet: to hand an account over, the unit's "
          "system administrator resets its password, and the person changes it at first sign-in.")
        % {"count": result.without_password},
    ]


class Command(BaseCommand):
    help = gettext_lazy("Load a fictional demo district: about 40 units with their departments, about 300 "
                        "people with their roles, and one demo account per role.")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help=gettext_lazy("Do nothing, and say so, when the directory already holds "
                                              "units."))
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=gettext_lazy("Seed for the invented names, titles and mobile numbers; "
                                              "the same seed gives the same people."))

    def handle(self, *args, if_empty: bool, seed: int, **options):
        started = time.monotonic()
        try:
            result = load_demo_district(seed=seed)
        except DemoDataExists as exc:
            if if_empty:
                self.stdout.write(_("The directory already holds %(count)d units: the demo data was not "
                                    "loaded.") % {"count": exc.units})
                accounts = Path(settings.DATA_DIR) / ACCOUNTS_FILE
                if accounts.exists():  # loaded earlier: remind whoever runs `make run` how to sign in
                    self.stdout.write("")
                    self.stdout.write(accounts.read_text(encoding="utf-8").rstrip())
                return
            raise CommandError(_("The directory already holds %(count)d units, and the demo data loads only "
                                 "into an empty directory; nothing was changed. Use --if-empty to skip this "
                                 "quietly.") % {"count": exc.units}) from exc
        except DemoCategoriesMissing as exc:
            raise CommandError(_("The unit categories are missing: run “zhengtong migrate” first.")) from exc
        except ValidationError as exc:
            raise CommandError(_("The demo data could not be loaded, and nothing was written: %(error)s")
                               % {"error": "；".join(exc.messages)}) from exc
        for loader in demo_loaders():
            loader.load(result=result, stdout=self.stdout.write)
        seconds = time.monotonic() - started

        report = accounts_report(result)
        path = Path(settings.DATA_DIR) / ACCOUNTS_FILE
        path.write_text("\n".join(report) + "\n", encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(
            _("Loaded the demo district %(district)s: %(units)d units in %(categories)d categories, "
              "%(departments)d departments, %(people)d people (seed %(seed)d), in %(seconds).1f s.")
            % {"district": DISTRICT, "units": result.units, "categories": result.categories,
               "departments": result.departments, "people": result.people, "seed": result.seed,
               "seconds": seconds}))
        self.stdout.write("")
        for line in report:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(_("The list of demo accounts was written to %(path)s.") % {"path": path})
