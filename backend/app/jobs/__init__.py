"""Long admin jobs (re-index, answer evaluation) in a detached worker process, never in a page's script run.

One job at a time. The worker (`python -m backend.app.jobs ...`) writes its state to
`$SANGDAM_HOME/jobs/current.json` (atomically: tmp file + `os.replace`, under `jobs/lock`), at most every
`PROGRESS_EVERY_S` while it runs; the admin page and the CLI only read that file, so a browser refresh
(or a restarted dashboard) still shows the job. `cancel` sends SIGTERM; the worker turns it into a
`KeyboardInterrupt`, the ingest pipeline aborts its index writer (the live index stays as it was) and
the job ends as "cancelled".

Uploaded zips of HTML manuals + attachments are unpacked with `unpack_upload` (no absolute paths, no
"..", no links, size and member caps; CP949 file names from Korean Windows decoded; every problem one
Korean sentence) and then indexed like any folder; the worker deletes the unpacked folder when the job ends.

Modules: `status` (the status file), `control` (start, cancel, wait), `uploads` (zips), `worker` (the
process). This file hands their public names on.
"""

from backend.app.jobs.control import (
    JobBusyError,
    cancel,
    list_reports,
    start_eval_answers,
    start_ingest,
    start_ingest_upload,
    wait,
)
from backend.app.jobs.status import CANCELLED_KO, DEAD_WORKER_KO, JobStatus, current_job, jobs_dir
from backend.app.jobs.uploads import KEEP_UPLOADS, MAX_UPLOAD_BYTES, MAX_UPLOAD_MEMBERS, UploadError, unpack_upload

__all__ = [
    "CANCELLED_KO",
    "DEAD_WORKER_KO",
    "KEEP_UPLOADS",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_MEMBERS",
    "JobBusyError",
    "JobStatus",
    "UploadError",
    "cancel",
    "current_job",
    "jobs_dir",
    "list_reports",
    "start_eval_answers",
    "start_ingest",
    "start_ingest_upload",
    "unpack_upload",
    "wait",
]
