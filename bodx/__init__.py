"""The `bodx` command line: one entry point for the city's IT staff."""
