"""The phases of `jobmatch.solve`, in order: prepare, flows, bounds, decide, result."""
