"""Signals accounts sends for lower-level delivery.

accounts may not import notify (notify sits above it), so a sign-in code is handed over
through this signal; notify's receiver delivers it by SMS or email.
"""

from django.dispatch import Signal

# kwargs: destination (E.164 phone or email), code (plain, in memory only), language
login_code_issued = Signal()
