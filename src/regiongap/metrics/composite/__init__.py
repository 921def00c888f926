"""The capacity index: normalisation, aggregation, the index and its uncertainty."""
