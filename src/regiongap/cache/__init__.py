"""The local cache: atomic Parquet files with their provenance."""
