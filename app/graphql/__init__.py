"""GraphQL adapter (Strawberry): thin resolvers over the domain services, errors with extensions.code."""
