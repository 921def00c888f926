"""The local cache: the one atomic writer, Parquet files with provenance, the codec."""
