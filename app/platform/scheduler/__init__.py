"""Background jobs: exactly one run per job and tick across replicas."""
