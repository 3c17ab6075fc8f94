"""The performance benchmark (issue 8): synthetic campaigns of 24 to 2,400 units, measured.

Not a Django app and not imported by any app: `python manage.py bench` (a thin command in
scoring/management/commands/) calls `bench.run.main`, and tests/scoring/test_query_counts.py
uses `bench.data.build_campaign` to compare query counts at two sizes. It sits at the top, above
dashboard and awards, because it measures all of them.

- `bench.data`: a national-scale campaign built with bulk inserts, figures shaped like the
  Đắk Lắk demo (campaign/demo.py), deterministic for a given seed.
- `bench.measure`: wall time, SQL query count, peak memory of one step.
- `bench.run`: the throw-away database, the steps, the table and the JSON file.
"""
