package dev.costlake.ops;

import java.time.Instant;
import java.time.LocalDate;
import java.util.NavigableSet;

/**
 * What a run rebuilt in the gold tables.
 *
 * @param hours          event hours rebuilt
 * @param from           first event date rebuilt; null when nothing was
 * @param to             last event date rebuilt; null when nothing was
 * @param silverVersion  silver.cost_events version the gold tables reflect after the run: the rollup
 *                       watermark; null for a run that does not advance it (backfill)
 * @param checks         sums in ops.rollup_checks that balanced for the window (0 when nothing was rebuilt)
 * @param rebuiltHours   the starts of the event hours rebuilt (UTC), sorted
 */
public record RollupRecord(long hours, LocalDate from, LocalDate to, Long silverVersion, long checks,
    NavigableSet<Instant> rebuiltHours) {}
