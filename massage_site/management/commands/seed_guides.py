"""Load the seeded guides: `python manage.py seed_guides`. Safe to run again and again."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from massage_site.seeding import SEED_DIR, SeedError, load


class Command(BaseCommand):
    help = (
        "Create the seeded pages, techniques and routines. Items an editor has changed or deleted "
        "are left as they are; untouched items follow updates to the seed data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed-dir", type=Path, default=SEED_DIR, help="Folder holding the seed TOML files.")

    def handle(self, *args, seed_dir, **options):
        try:
            report = load(seed_dir)
        except SeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Seeded guides: {len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged, {len(report.kept)} kept as edited."
        )
        for label in report.kept:
            self.stdout.write(f"  kept editor's version: {label}", self.style.WARNING)
