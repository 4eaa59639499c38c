#!/usr/bin/env python3
"""hold-lock.py LOCK HELD RELEASE: plays another run writing the same
output.  Takes the POSIX record lock on LOCK (as briefing does), creates
HELD once it holds it, and keeps it until RELEASE appears (at most 60 s)."""
import fcntl
import os
import sys
import time

lock_path, held, release = sys.argv[1:4]
lock = open(lock_path, "a")
fcntl.lockf(lock, fcntl.LOCK_EX)
open(held, "w").close()
for _ in range(6000):
    if os.path.exists(release):
        break
    time.sleep(0.01)
