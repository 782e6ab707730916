"""Where an import's reading process starts (importer._chunks_from_process).

A spawned process starts bare: nothing that defines models may be imported before Django is
set up, so the arguments arrive as plain dicts and importer is imported only here.
"""

from __future__ import annotations

from typing import Any


def main(source: dict[str, Any], plan: dict[str, Any], database: dict[str, Any], pipe: Any) -> None:
    import gc

    import django
    from django.conf import settings

    settings.DATABASES = {"default": database}  # the caller's database, test ones included
    django.setup()
    # What this process makes is garbage without cycles, freed as each batch is sent: the
    # cyclic collector would only walk the live batch again and again, a quarter of the
    # reading time (docs/benchmarks.md). What is loaded by now is left to it for good.
    gc.freeze()
    gc.disable()
    from baladiyati.open311 import importer

    importer.produce(importer.Source(**source), importer.Plan(**plan), pipe)
