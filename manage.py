#!/usr/bin/env python
import os
import sys


def main() -> None:
    from factcheck.env import load_env_file, settings_or_exit

    load_env_file()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    from django.core.management import execute_from_command_line

    # Status 1, as for a command's own error: 3 would make runserver's reloader start the
    # process again, and again.
    with settings_or_exit(status=1):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
