package dev.costlake.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The calendar of the baselines, by hand. */
class BaselinePlanTest {
  static final AnomalySettings SETTINGS = new AnomalySettings(3, false, 4, new BigDecimal("5"), 0.1, 4, 3, 28);

  private static Instant t(String text) {
    return Instant.parse(text);
  }

  @Test
  void anHourWithFourWeeksOfHistoryIsComparedWithTheSameHourOfThePreviousWeeks() {
    BaselinePlan.Target plan = BaselinePlan.plan(Grain.HOUR, t("2026-11-03T14:00:00Z"), t("2026-10-06T14:00:00Z"), SETTINGS);
    assertEquals(BaselinePlan.SAME_HOUR_OF_WEEK, plan.method());
    assertEquals(List.of(t("2026-10-27T14:00:00Z"), t("2026-10-20T14:00:00Z"), t("2026-10-13T14:00:00Z"),
        t("2026-10-06T14:00:00Z")), plan.comparable());
    // The trailing hours only say whether a scope spent recently.
    assertEquals(List.of(t("2026-11-03T13:00:00Z"), t("2026-11-03T12:00:00Z"), t("2026-11-03T11:00:00Z")), plan.recent());
  }

  @Test
  void anHourWithDaysButNotWeeksOfHistoryIsComparedWithTheSameHourOfDaysOfItsKind() {
    // Tuesday 14:00 with history from Wednesday 2026-10-21: the weekdays 14:00 of the 14 days before it.
    BaselinePlan.Target plan = BaselinePlan.plan(Grain.HOUR, t("2026-11-03T14:00:00Z"), t("2026-10-21T00:00:00Z"), SETTINGS);
    assertEquals(BaselinePlan.SAME_HOUR_OF_DAY, plan.method());
    assertEquals(List.of(t("2026-11-02T14:00:00Z"), t("2026-10-30T14:00:00Z"), t("2026-10-29T14:00:00Z"),
        t("2026-10-28T14:00:00Z"), t("2026-10-27T14:00:00Z"), t("2026-10-26T14:00:00Z"), t("2026-10-23T14:00:00Z"),
        t("2026-10-22T14:00:00Z"), t("2026-10-21T14:00:00Z")), plan.comparable());
    assertEquals(List.of(t("2026-11-03T13:00:00Z"), t("2026-11-03T12:00:00Z"), t("2026-11-03T11:00:00Z")), plan.recent());
  }

  @Test
  void anHourWithLessThanFourWeeksOfHistoryIsComparedWithTheTrailingHoursSinceTheStart() {
    BaselinePlan.Target plan = BaselinePlan.plan(Grain.HOUR, t("2026-11-03T14:00:00Z"), t("2026-11-03T12:00:00Z"), SETTINGS);
    assertEquals(BaselinePlan.TRAILING_HOURS, plan.method());
    assertEquals(List.of(t("2026-11-03T13:00:00Z"), t("2026-11-03T12:00:00Z")), plan.comparable());
    assertEquals(List.of(), plan.recent());
  }

  @Test
  void aDayIsComparedWithTheTrailingDaysOfItsKind() {
    AnomalySettings tenDays = new AnomalySettings(3, false, 4, BigDecimal.ONE, 0.1, 4, 24, 10);
    // Tuesday 2026-11-10: the weekdays of the 10 days before; the weekend days are only recent.
    BaselinePlan.Target tuesday = BaselinePlan.plan(Grain.DAY, t("2026-11-10T00:00:00Z"), t("2026-10-01T00:00:00Z"), tenDays);
    assertEquals(BaselinePlan.SAME_DAY_TYPE, tuesday.method());
    assertEquals(List.of(t("2026-11-09T00:00:00Z"), t("2026-11-06T00:00:00Z"), t("2026-11-05T00:00:00Z"),
        t("2026-11-04T00:00:00Z"), t("2026-11-03T00:00:00Z"), t("2026-11-02T00:00:00Z")), tuesday.comparable());
    assertEquals(List.of(t("2026-11-08T00:00:00Z"), t("2026-11-07T00:00:00Z"), t("2026-11-01T00:00:00Z"),
        t("2026-10-31T00:00:00Z")), tuesday.recent());
    // Sunday 2026-11-08 with history from Monday 2026-11-02: Saturday the 7th is its only comparable day.
    BaselinePlan.Target sunday = BaselinePlan.plan(Grain.DAY, t("2026-11-08T00:00:00Z"), t("2026-11-02T00:00:00Z"), tenDays);
    assertEquals(List.of(t("2026-11-07T00:00:00Z")), sunday.comparable());
    assertEquals(5, sunday.recent().size());
  }

  @Test
  void aPeriodMustStartOnItsBoundary() {
    assertThrows(IllegalArgumentException.class,
        () -> BaselinePlan.plan(Grain.HOUR, t("2026-11-03T14:30:00Z"), t("2026-10-01T00:00:00Z"), SETTINGS));
  }
}
