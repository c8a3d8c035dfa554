"""Load the reference lists (7 werelden, themes, Bèta & Tech types, profielen, leerwegen).

The CSV ships with the code (a copy of shared/domain/taxonomies.csv) so that a fresh install does
not depend on anything outside the repository. Action lines belong to the monitoring app.
"""

from django.db import migrations

from maakstad.organisations.reference import load_reference_terms


def load_terms(apps, schema_editor):
    load_reference_terms(apps.get_model("organisations", "Term"))


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load_terms, migrations.RunPython.noop)]
