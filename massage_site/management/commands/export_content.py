"""Back up all content: `python manage.py export_content backup.zip` (see docs/operations.md, "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from massage_site.backup import BackupError, export_archive


class Command(BaseCommand):
    help = (
        "Write every page, technique, routine, step, tag, old address and history entry, and every "
        "picture they use, to one zip file that import_content can load."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The archive to write (a .zip file; replaced if it exists).")

    def handle(self, *args, file, **options):
        try:
            summary = export_archive(file)
        except (BackupError, OSError) as error:
            raise CommandError(f"Export failed: {error}") from error
        rows = sum(summary.counts.values())
        self.stdout.write(f"Exported {rows} rows and {summary.pictures} pictures to {file}:")
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name}: {count}")
        if summary.skipped_pictures:
            names = ", ".join(repr(name) for name in summary.skipped_pictures)
            self.stdout.write(
                f"Pictures with unsafe names were left out ({names}). import_content refuses an archive "
                "that names them: fix the items or history entries that use them, then export again.",
                self.style.WARNING,
            )
