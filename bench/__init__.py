"""Benchmarks of jobmatch against its anchors, on seeded, realistic generated problems."""
