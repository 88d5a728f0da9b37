"""``manage.py seal_audit``: chain every audit event not sealed yet (see ``common.chain``)."""

from django.core.management.base import BaseCommand

from gongchuang.common.chain import seal_pending


class Command(BaseCommand):
    help = "Seal (hash-chain) the audit events that are not sealed yet."

    def handle(self, *args, **options):
        self.stdout.write(f"Sealed {seal_pending()} audit events.")
