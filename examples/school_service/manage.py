#!/usr/bin/env python
"""The example school service: a separate Django project that signs in through the portal."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "school_service.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
