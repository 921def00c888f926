"""NUTS geography: codes, versions, typologies, levels and how data matches shapes."""
