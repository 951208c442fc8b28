"""`python -m generator` is `mxt`."""

from .cli import main

main(prog_name="mxt")
