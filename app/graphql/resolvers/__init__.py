"""Query and Mutation fields, one module per context; each resolver: input → contract → service → type."""
