package dev.costlake.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.cli.AnomaliesCommand;
import dev.costlake.testing.GeneratedMonth;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The evaluation targets, end to end: labelled anomalies injected by the generator, found by the
 * detector the scheduled jobs run, scored by `costlake anomalies evaluate`'s code.
 */
class AnomalyEndToEndTest {
  @Test
  void injectedAnomaliesAreFoundWithTheirDriversAtTheTargets() {
    GeneratedMonth month = GeneratedMonth.get();
    AnomalyEvaluation.Score score = AnomalyEvaluation.score(month.labels(), AnomaliesCommand.found(month.lake()));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    AnomaliesCommand.print(score, new PrintStream(printed, true, StandardCharsets.UTF_8));
    String report = printed.toString(StandardCharsets.UTF_8);
    System.out.println(report);

    assertEquals(List.of("spike", "drop", "ramp"),
        score.labels().stream().map(outcome -> outcome.label().kind()).toList());
    // Deterministic for the seed: the drop (5 quiet hours of a feature spending cents) is under the
    // minimum impact; the spike and the ramp are found.
    assertEquals(List.of("a01 true", "a02 false", "a03 true"), score.labels().stream()
        .map(outcome -> outcome.label().labelId() + " " + outcome.found()).toList(), report);
    // The spike (4.4x) and the ramp (to 5x) are what the recall target is about.
    assertEquals(2, score.largeSpikes(), report);
    assertTrue(score.recallLargeSpikes() >= 0.9, report);
    assertTrue(score.precision() >= 0.8, report);
    assertTrue(score.driverFirst() >= 0.9, report);
  }
}
