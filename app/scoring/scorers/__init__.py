"""Pure scoring: stage one's shortlist, the inputs assembled from plain rows, the gate, the
components' metrics and the plug-ins, percentile normalisation and the weighted composite; numpy
arrays in, numbers out, no I/O, ORM, pydantic or logging."""
