-- data test: every succeeded run's books balance. Returns the offending runs; zero rows = holds.
select
    run_id,
    job,
    records_read,
    records_accepted,
    records_quarantined,
    records_duplicate
from ops.pipeline_runs
where status = 'succeeded'
  and records_read is not null
  and records_read <> records_accepted + records_quarantined + records_duplicate
