"""SAQ adapter: job functions open their own unit of work and call the same domain services."""
