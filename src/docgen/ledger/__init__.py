"""The 整改台账: read, viewed as of a day, updates and what changed."""
