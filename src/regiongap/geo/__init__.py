"""NUTS geography: codes, versions, levels and how data matches the shapes."""
