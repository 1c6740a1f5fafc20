-- ops.job_lock: the lakehouse lock. Every job that writes the lakehouse (ingest, hourly, nightly,
-- backfill, reprice) holds it while it runs, so runs that overlap in time take turns instead of
-- racing on the ingest checkpoint or rebuilding the same window twice at once.
--
-- grain:     one row per lock (lock_name; costlake uses one, 'lakehouse').
-- written:   by dev.costlake.ops.JobLock. Taking the lock is one Delta MERGE that inserts the row or
--            takes it over when it is free (released) or stale (expires_at passed); two runs racing
--            for it commit against the same table and Delta's conflict detection lets exactly one win
--            (the other retries and sees it held). Releasing sets released_at. A holder renews
--            expires_at while it runs, so a lock whose holder died is free after jobs.lock-ttl.

create table if not exists ops.job_lock (
    lock_name    string    not null comment 'Which lock; costlake takes ''lakehouse''.',
    run_id       string    not null comment 'ops.pipeline_runs.run_id of the holder (or last holder).',
    job          string    not null comment 'The holder''s job: ingest, hourly, nightly, backfill or reprice.',
    holder       string    not null comment 'host:pid of the holder, for people reading it.',
    acquired_at  timestamp not null comment 'When the holder took it.',
    expires_at   timestamp not null comment 'When it becomes stale unless renewed.',
    released_at  timestamp          comment 'When the holder released it; null while held.'
)
using delta
location ${location}
