package dev.costlake.ops;

import java.time.LocalDate;

/**
 * What a run rebuilt in the gold tables.
 *
 * @param hours          event hours rebuilt
 * @param from           first event date rebuilt; null when nothing was
 * @param to             last event date rebuilt; null when nothing was
 * @param silverVersion  silver.cost_events version the gold tables reflect after the run: the rollup
 *                       watermark; null for a run that does not advance it (backfill)
 * @param checks         sums in ops.rollup_checks that balanced for the window (0 when nothing was rebuilt)
 */
public record RollupRecord(long hours, LocalDate from, LocalDate to, Long silverVersion, long checks) {}
