"""Source readers: YAML, Markdown drafts and templates into the document model; images checked; lint."""
