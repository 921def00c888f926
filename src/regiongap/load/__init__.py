"""Sources, parsers and the cache put together: raw bytes in, cached tidy frames out."""
