"""mxt: marketing strategy execution tracking, as code.

Importing the package changes nothing global; the command line (`cli`) applies
its speed and determinism settings around its own work (`policy`).
"""

__version__ = "0.1.0"

# The format of plan files, data/metrics.yaml and status.json. It changes only when a file
# written for the new format would be read wrongly by an older mxt; an older file keeps
# working (see "Upgrading" in the README).
SCHEMA_VERSION = 1
