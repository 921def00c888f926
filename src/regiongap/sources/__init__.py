"""Where raw bytes come from: a mirror folder or the live Eurostat and GISCO APIs."""
