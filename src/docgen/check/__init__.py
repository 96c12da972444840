"""`docgen check`: findings against GB/T 9704 from what measure reads."""
