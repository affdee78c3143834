"""Restore content from an export: `python manage.py import_content backup.zip` (see docs/operations.md, "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from massage_site.backup import BackupError, import_archive


class Command(BaseCommand):
    help = (
        "Load an archive written by export_content into a database without content: rows, history and "
        "pictures; then rebuild search text, picture renditions and the page cache. The archive is "
        "checked throughout first; a damaged or hostile archive changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="An archive written by export_content.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the content already in the database first (in the same transaction).",
        )
        parser.add_argument(
            "--allow-empty",
            action="store_true",
            help="With --replace, accept an archive that holds no content (and so leave the site empty).",
        )

    def handle(self, *args, file, replace, allow_empty, **options):
        try:
            summary = import_archive(file, replace=replace, allow_empty=allow_empty)
        except BackupError as error:
            # One line for the operator; the archive is untrusted, so its details stay short.
            raise CommandError(f"Import failed: {' '.join(str(error).split())}") from error
        rows = sum(summary.counts.values())
        verb = "Replaced the content with" if summary.replaced else "Imported"
        self.stdout.write(
            f"{verb} {rows} rows and {summary.pictures} pictures from {file} "
            f"({summary.renditions} picture renditions made):"
        )
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name}: {count}")
        if summary.unknown_users:
            names = ", ".join(sorted(set(summary.unknown_users)))
            self.stdout.write(
                f"History entries by users not on this site ({names}) were kept without an author.",
                self.style.WARNING,
            )
