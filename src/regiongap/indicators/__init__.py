"""The indicator catalogue, derived indicators and the regional panel."""
