"""Demo data: Muscat and Sohar with their catalogue, staff, citizens and a history of cases."""
