"""Build, batch and the progress bar: documents to files, in parallel."""
