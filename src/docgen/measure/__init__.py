"""Written files read back into lines, strokes and pictures on the page: one truth for tests and check."""
