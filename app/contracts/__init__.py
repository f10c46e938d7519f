"""Transport-neutral contracts (msgspec Structs generated from schema/api): the DTOs every layer shares."""

from app.contracts._generated import *  # noqa: F403  (the generated module is the whole vocabulary)
