"""Measurements of the whole house, beside each other because they share their synthetic
province and their machine description:

- `perf.province`: a campaign of any number of local offices built with bulk inserts, figures
  shaped like the demo (campaign/demo.py), deterministic for a given seed; the benchmark,
  the load test and tests/scoring/test_query_counts.py build theirs with it.
- `perf.machine`: the machine a measurement ran on.
- `perf.measure`: wall time, SQL query count, peak memory of one step.
- `perf.bench`: `manage.py bench` (the command in perf/management/commands/): the steps, run
  in a throw-away database (`perf.database`), printed and stored by `perf.report`.
- `perf.loadtest`: `bin/loadtest`: concurrent staff saving reports, then every acknowledged
  save checked in the database; `perf.server` makes its database and runs gunicorn on loopback.

No app imports this package; it sits at the top, above every app, because it measures all of
them.
"""
