"""The administrators' command line, `python -m directory`: one module per command group."""
