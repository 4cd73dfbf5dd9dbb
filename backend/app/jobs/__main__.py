"""`python -m backend.app.jobs ...`: the worker process (see `worker.main`)."""

import sys

from backend.app.jobs.worker import main

sys.exit(main())
