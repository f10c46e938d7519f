"""`make bench`: the API's throughput, latency and CPU per request on a seeded database (not a test)."""
