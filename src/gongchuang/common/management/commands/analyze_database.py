from django.core.management.base import BaseCommand

from gongchuang.common.db.maintenance import analyze_database


class Command(BaseCommand):
    help = "Refresh the database's query-planner statistics (run hourly by scripts/serve)."

    def handle(self, *args, **options):
        analyze_database()
        self.stdout.write("Planner statistics refreshed.")
