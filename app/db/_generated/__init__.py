"""GENERATED code lives here (make codegen); never edit by hand."""
