"""Who belongs to which partnership: the shipped registry, analysts' files, levels."""
