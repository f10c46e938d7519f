"""Code generators: schema/ (SQL DDL, Pydantic contracts) → app/**/_generated and clients/."""
