"""Generated Strawberry types (see types.py); extend them by subclassing, never by editing."""
