from typing import Literal

JobRunReadStatus = Literal["aborted", "degraded", "failed", "running", "skipped", "succeeded"]

JOB_RUN_READ_STATUS_VALUES: set[JobRunReadStatus] = {
    "aborted",
    "degraded",
    "failed",
    "running",
    "skipped",
    "succeeded",
}


def check_job_run_read_status(value: str) -> JobRunReadStatus:
    if value in JOB_RUN_READ_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {JOB_RUN_READ_STATUS_VALUES!r}")
