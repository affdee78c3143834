"""Create or update an editor: `python manage.py create_editor USERNAME`."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from content.editors import GROUP as EDITORS_GROUP


class Command(BaseCommand):
    help = (
        "Create an editor (or update an existing user): staff access to the admin, in the Editors group, "
        "which manages techniques, routines, pages, tags and pictures but not users or groups. "
        "The password is asked twice, or read from the environment variable named by --password-from-env."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default=None, help="The editor's email address (optional).")
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="Read the password from this environment variable instead of asking (for scripts).",
        )

    def handle(self, *args, username, email, password_from_env, **options):
        username = username.strip()
        if not username:
            raise CommandError("Give a username, e.g. `python manage.py create_editor alice`.")
        try:
            group = Group.objects.get(name=EDITORS_GROUP)
        except Group.DoesNotExist as error:
            raise CommandError(
                f"The {EDITORS_GROUP} group does not exist: run `python manage.py migrate` first."
            ) from error

        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        created = user is None
        if created:
            user = User(**{User.USERNAME_FIELD: username})
        if email is not None:
            user.email = email

        password = self.read_password(password_from_env, user)
        user.set_password(password)
        user.is_staff = True
        user.is_active = True
        user.save()
        user.groups.add(group)

        action = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{action} editor {username!r}: sign in at /admin/."))
        if user.is_superuser:
            self.stdout.write(self.style.WARNING(f"{username!r} is also a superuser, with every permission."))

    def read_password(self, variable, user):
        """The new password, from the environment or asked twice, checked by the site's password rules."""
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(f"The environment variable {variable} is not set or is empty.")
            self.validate(password, user)
            return password
        if not self.stdin_is_interactive():
            raise CommandError("No terminal to ask for a password: use --password-from-env VAR in scripts.")
        for _attempt in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ. Try again.")
                continue
            try:
                self.validate(password, user)
            except CommandError as error:
                self.stderr.write(str(error))
                continue
            return password
        raise CommandError("No password set: three attempts failed.")

    @staticmethod
    def validate(password, user):
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("This password is not accepted: " + " ".join(error.messages)) from error

    @staticmethod
    def stdin_is_interactive():
        return os.isatty(0)
