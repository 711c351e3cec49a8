"""The employer's pages: the own company and its openings, nothing of other employers."""
