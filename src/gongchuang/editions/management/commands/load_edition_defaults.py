from django.core.management.base import BaseCommand

from gongchuang.editions.services import edition_create_from_defaults


class Command(BaseCommand):
    help = "Create an edition (e.g. 2026) with the default categories, rules, rubric and windows."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, year, **options):
        edition, created = edition_create_from_defaults(year=year)
        verb = "created" if created else "already present, unchanged"
        self.stdout.write(f"Edition {edition.slug}: {verb}.")
