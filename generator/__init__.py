"""mxt: marketing strategy execution tracking, as code.

Importing the package changes nothing global; the command line (`cli`) applies
its speed and determinism settings around its own work (`policy`).
"""

__version__ = "0.1.0"
