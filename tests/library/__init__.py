"""The library (load, reload policies, report) and its cards: pure, no Discord."""
