package dev.costlake.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The alert lifecycle, pure: dedupe, cooldown, escalation, resolution, reopening. */
class AlertBookTest {
  private static final Instant T0 = Instant.parse("2026-03-10T13:05:00Z");
  private static final Duration COOLDOWN = Duration.ofHours(6);
  private static final Set<String> RULES = Set.of(AlertRules.BUDGET);

  private static Signal budget(Severity severity) {
    return new Signal(AlertRules.BUDGET, "tenant", "acme", severity, "Budget acme", "numbers", "2026-03",
        new BigDecimal("90"), new BigDecimal("100"), "usd");
  }

  private static AlertBook.Folded fold(List<Alert> before, List<Signal> signals, Set<String> rules, Instant at) {
    return AlertBook.fold(before, signals, rules, at, COOLDOWN);
  }

  @Test
  void aNewConditionOpensOneAlertWithAStableKeyHoweverManySignalsRepeatIt() {
    AlertBook.Folded f = fold(List.of(), List.of(budget(Severity.WARNING), budget(Severity.WARNING)), RULES, T0);
    assertEquals(1, f.alerts().size());
    Alert a = f.alerts().get(0);
    assertEquals("budget:tenant:acme", a.dedupeKey());
    assertEquals(Alert.OPEN, a.status());
    assertEquals(1, a.notificationSeq());
    assertEquals(AlertBook.OPENED, a.notificationEvent());
    assertEquals(T0, a.firstSeenAt());
    assertEquals(Set.of("budget:tenant:acme"), f.notifiedNow());
  }

  @Test
  void aPersistingConditionStaysQuietUntilTheCooldownEndsThenRemindsOnce() {
    Alert opened = fold(List.of(), List.of(budget(Severity.WARNING)), RULES, T0).alerts().get(0);
    Instant justBefore = T0.plus(COOLDOWN).minusSeconds(1);
    AlertBook.Folded quiet = fold(List.of(opened), List.of(budget(Severity.WARNING)), RULES, justBefore);
    Alert q = quiet.alerts().get(0);
    assertEquals(1, q.notificationSeq());
    assertEquals(Set.of(), quiet.notifiedNow());
    assertEquals(justBefore, q.lastSeenAt());
    assertEquals(T0, q.lastNotifiedAt());

    AlertBook.Folded reminded = fold(List.of(q), List.of(budget(Severity.WARNING)), RULES, T0.plus(COOLDOWN));
    Alert r = reminded.alerts().get(0);
    assertEquals(2, r.notificationSeq());
    assertEquals(AlertBook.REMINDER, r.notificationEvent());
    assertEquals(T0, r.firstSeenAt());
  }

  @Test
  void escalatingNotifiesAtOnceAndDeEscalatingDoesNot() {
    Alert opened = fold(List.of(), List.of(budget(Severity.WARNING)), RULES, T0).alerts().get(0);
    Alert escalated = fold(List.of(opened), List.of(budget(Severity.CRITICAL)), RULES, T0.plusSeconds(3600))
        .alerts().get(0);
    assertEquals(2, escalated.notificationSeq());
    assertEquals(AlertBook.ESCALATED, escalated.notificationEvent());
    assertEquals(Severity.CRITICAL, escalated.severity());

    AlertBook.Folded down = fold(List.of(escalated), List.of(budget(Severity.WARNING)), RULES, T0.plusSeconds(7200));
    assertEquals(2, down.alerts().get(0).notificationSeq());
    assertEquals(Severity.WARNING, down.alerts().get(0).severity());
    assertEquals(Set.of(), down.notifiedNow());
  }

  @Test
  void aConditionGoneFromARunThatEvaluatedItsRuleResolvesOnceAndOnlyThen() {
    Alert opened = fold(List.of(), List.of(budget(Severity.WARNING)), RULES, T0).alerts().get(0);
    // A run that did not evaluate the budget rule (an hourly run) leaves it open.
    AlertBook.Folded other = fold(List.of(opened), List.of(), Set.of(AlertRules.HOURLY_SPEND), T0.plusSeconds(60));
    assertEquals(Alert.OPEN, other.alerts().get(0).status());

    Instant later = T0.plusSeconds(86400);
    AlertBook.Folded resolved = fold(List.of(opened), List.of(), RULES, later);
    Alert r = resolved.alerts().get(0);
    assertEquals(Alert.RESOLVED, r.status());
    assertEquals(later, r.resolvedAt());
    assertEquals(2, r.notificationSeq());
    assertEquals(AlertBook.RESOLVED, r.notificationEvent());

    AlertBook.Folded again = fold(List.of(r), List.of(), RULES, later.plusSeconds(86400));
    assertEquals(2, again.alerts().get(0).notificationSeq());
    assertEquals(Set.of(), again.notifiedNow());

    // The same condition later reopens the same row as a new incident.
    Instant back = later.plusSeconds(2 * 86400);
    Alert reopened = fold(List.of(r), List.of(budget(Severity.WARNING)), RULES, back).alerts().get(0);
    assertEquals(Alert.OPEN, reopened.status());
    assertEquals(3, reopened.notificationSeq());
    assertEquals(AlertBook.OPENED, reopened.notificationEvent());
    assertEquals(back, reopened.firstSeenAt());
    assertNull(reopened.resolvedAt());
  }
}
