"""Where raw bytes come from: a mirror folder or the live Eurostat and GISCO APIs.

Bytes only: nothing here parses a dataset or touches the cache.
"""
