"""Write the searches counted in the cache to the database (run it from cron, e.g. hourly)."""

from django.core.management.base import BaseCommand

from massage_site import search_record


class Command(BaseCommand):
    help = "Write the searches counted in the shared cache to the database, in one batch."

    def handle(self, *args, **options):
        written = search_record.write_batch()
        self.stdout.write(f"Wrote {written} searches.")
