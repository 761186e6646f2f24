"""The labelled question sets of our own libraries and how an engine is scored on them."""
