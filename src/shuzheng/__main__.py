"""The ``shuzheng`` command: Django's manage.py plus the platform's own subcommands.

``shuzheng check --deploy`` fails on warnings as well as errors, so an unsafe production
configuration stops a deployment script instead of scrolling past.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")
    deploy_check = len(argv) > 1 and argv[1] == "check" and "--deploy" in argv
    if deploy_check and not any(arg.startswith("--fail-level") for arg in argv):
        argv += ["--fail-level", "WARNING"]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
