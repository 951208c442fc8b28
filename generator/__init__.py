"""mxt: marketing strategy execution tracking, as code."""

__version__ = "0.1.0"
