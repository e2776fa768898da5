"""The process at run time: background tasks and their retry delays, long runs' progress and
safe points, the worker processes, the garbage collector, and knowing when the process stops."""
