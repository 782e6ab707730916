"""Building-permit pages: applicant (apply), back office (review), public (verify, register)
and the payment gateway's return (pay)."""

# The citizen app's bottom tab marked on the permit pages (portal/base.html compares `tab`).
# The bar has four tabs and no room for a fifth on a 360 px phone; the permit pages are
# reached from Home's list of services, so Home is the tab they belong to.
PORTAL_TAB = "home"
