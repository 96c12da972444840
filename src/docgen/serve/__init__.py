"""`docgen serve`: the pipeline behind a local web page (app), its work done in warm worker processes within
a time and memory budget each (work), every request's files in a job folder of the server's own (folders),
and what a request must show before it is served (guard)."""
