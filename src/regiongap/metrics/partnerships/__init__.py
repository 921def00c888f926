"""Partnership analytics: gaps, members versus non-members, candidate regions."""
