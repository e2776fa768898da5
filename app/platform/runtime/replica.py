"""This process's name among the service's replicas, as the ledgers and the shared budget record
it: its host (the pod) and its process id."""

from __future__ import annotations

import os
import socket


def replica_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
