"""Outbound queueing (the JobDispatcher port on SAQ): what the APIs use to start work on workers."""
