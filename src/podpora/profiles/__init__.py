"""Vendor profiles: a vendor's whole configuration as one YAML file (``schema: 1``).

``yamlio`` reads YAML keeping each value's line and writes the canonical form; ``fields``
names every section's keys and defaults; ``check`` validates (JSON Schema, then the rules
that cross sections) without a database; ``export`` and ``load`` turn rows into a profile
and back, by natural keys, writing only what differs.
"""

SCHEMA_VERSION = 1
