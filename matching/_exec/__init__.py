"""Wrappers around external tools: each module here is the only importer of its tool."""
