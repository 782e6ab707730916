import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baladiyati.settings")
django.setup(set_prefix=False)

from baladiyati.handlers import MachineAwareHandler  # noqa: E402 (after setup)

# What get_wsgi_application() gives, with machine interfaces on their own middleware chain.
application = MachineAwareHandler()
