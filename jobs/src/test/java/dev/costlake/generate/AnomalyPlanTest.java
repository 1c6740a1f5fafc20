package dev.costlake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.generate.AnomalyPlan.Injection;
import dev.costlake.generate.AnomalyPlan.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The anomaly plan on its own: kinds, windows, scopes and sizes, without writing any event. */
class AnomalyPlanTest {
  private static final LocalDate OCTOBER = LocalDate.of(2026, 10, 1);
  private static final SampleCatalog CATALOG = SampleCatalog.INSTANCE;

  @TempDir
  Path tempDir;

  @Test
  void kindsCycleInTheDocumentedOrderAndIdsCount() {
    List<Injection> injections = AnomalyPlan.plan(OCTOBER, 60, 7, 13).injections();

    assertEquals(List.of("spike", "drop", "ramp", "runaway_loop", "model_switch", "cache_collapse",
            "spike", "drop", "ramp", "runaway_loop", "model_switch", "cache_collapse", "spike"),
        injections.stream().map(i -> i.kind().label()).toList());
    assertEquals(AnomalyLabel.KINDS, injections.subList(0, 6).stream()
        .map(i -> i.kind().label()).toList());
    assertEquals("a01", injections.get(0).labelId());
    assertEquals("a13", injections.get(12).labelId());
  }

  /** The tightest fits (29 days for 6, 22 for 3) over many seeds, so no draw escapes the rules. */
  @Test
  void windowsAreAfterTheHistoryInsideTheRunAtLeast24HoursApartAndStartInBusyHours() {
    for (int[] daysAndCount : new int[][] {{29, 6}, {22, 3}, {22, 1}, {90, 20}}) {
      int days = daysAndCount[0];
      for (long seed = 0; seed < 200; seed++) {
        List<Injection> byStart = AnomalyPlan.plan(OCTOBER, days, seed, daysAndCount[1])
            .injections().stream().sorted(Comparator.comparingInt(Injection::startHour)).toList();
        assertEquals(daysAndCount[1], byStart.size());
        assertTrue(byStart.get(0).startHour() >= 15 * 24, () -> "starts in the history: " + byStart);
        Injection last = byStart.get(byStart.size() - 1);
        assertTrue(last.startHour() + last.hours() <= days * 24, () -> "ends after the run: " + last);
        for (int i = 0; i < byStart.size(); i++) {
          Injection injection = byStart.get(i);
          assertTrue(injection.hours() >= injection.kind().minHours
              && injection.hours() <= injection.kind().maxHours, injection::toString);
          int startHourOfDay = injection.startHour() % 24;
          assertTrue(startHourOfDay >= 10 && startHourOfDay <= 15, injection::toString);
          if (i > 0) {
            Injection previous = byStart.get(i - 1);
            assertTrue(injection.startHour() - (previous.startHour() + previous.hours()) >= 24,
                () -> previous + " and " + injection + " are closer than 24 h");
          }
        }
      }
    }
  }

  @Test
  void windowLengthsMatchTheirKind() {
    assertEquals(List.of(2, 4, 3, 6, 48, 48, 2, 4, 4, 8, 4, 8), Arrays.stream(Kind.values())
        .flatMap(kind -> java.util.stream.Stream.of(kind.minHours, kind.maxHours)).toList());
  }

  @Test
  void spikesAlternateBetweenAFeatureAndATenant() {
    List<Injection> injections = AnomalyPlan.plan(OCTOBER, 60, 7, 13).injections();

    assertEquals(List.of("feature", "tenant", "feature"), List.of(injections.get(0).scopeType(),
        injections.get(6).scopeType(), injections.get(12).scopeType()));
    Injection tenantSpike = injections.get(6);
    assertEquals(CATALOG.tenants[tenantSpike.tenant()], tenantSpike.scopeValue());
    assertEquals(-1, tenantSpike.feature());
    assertEquals(CATALOG.tenantShare(tenantSpike.tenant()), tenantSpike.scopeShare());
  }

  /**
   * Targets are the scopes where the dollars are: the five costliest features, the three busiest
   * tenants, a runaway user of the 3rd to 5th busiest tenant, and model switches of at least 4x.
   */
  @Test
  void targetsAreMaterialScopes() {
    Set<String> topFeatures = Arrays.stream(AnomalyPlan.Ranks.FEATURES_BY_COST).limit(5)
        .mapToObj(f -> CATALOG.features[f].name).collect(Collectors.toSet());
    assertEquals(Set.of("chat_assistant", "code_review", "meeting_notes", "contract_review",
        "doc_summarizer"), topFeatures);
    Set<String> topChat = Arrays.stream(AnomalyPlan.Ranks.CHAT_FEATURES_BY_COST).limit(5)
        .mapToObj(f -> CATALOG.features[f].name).collect(Collectors.toSet());
    Set<String> busyTenants = Set.of("acme", "globex", "initech");
    Set<String> moderateTenants = Set.of("initech", "umbrella", "hooli");
    for (long seed = 0; seed < 100; seed++) {
      for (Injection injection : AnomalyPlan.plan(OCTOBER, 60, seed, 12).injections()) {
        switch (injection.kind()) {
          case SPIKE, DROP, RAMP -> assertTrue(injection.scopeType().equals("tenant")
              ? busyTenants.contains(injection.scopeValue())
              : topFeatures.contains(injection.scopeValue()), injection::toString);
          case RUNAWAY_LOOP -> {
            assertTrue(topChat.contains(injection.scopeValue()), injection::toString);
            String tenant = CATALOG.tenants[injection.tenant()];
            assertTrue(moderateTenants.contains(tenant), injection::toString);
            int firstUser = CATALOG.firstUserOfTenant(injection.tenant());
            assertTrue(injection.user() >= firstUser
                && injection.user() < firstUser + CATALOG.userCountOfTenant(injection.tenant()));
            assertEquals("user:" + CATALOG.userIds[injection.user()], injection.driver());
            assertTrue(injection.factor() >= 5.0 && injection.factor() <= 8.0, injection::toString);
          }
          case MODEL_SWITCH -> {
            SampleCatalog.Feature feature = CATALOG.features[injection.feature()];
            SampleCatalog.Model model = CATALOG.models[injection.model()];
            assertTrue(feature.chat(), injection::toString);
            assertEquals("model:" + model.name(), injection.driver());
            assertTrue(injection.factor() >= 4.0, injection::toString);
            assertEquals(injection.factor(), Math.round(
                AnomalyPlan.Ranks.expectedCostUsd(injection.feature(), injection.model(), true)
                    / AnomalyPlan.Ranks.expectedCostUsd(injection.feature(), -1, true) * 100) / 100.0);
            assertFalse(model.reasons() || model.embedding(), injection::toString);
          }
          case CACHE_COLLAPSE -> {
            assertTrue(CATALOG.features[injection.feature()].chat(), injection::toString);
            assertEquals("factor:cache_hit_rate", injection.driver());
          }
        }
        if (injection.kind() == Kind.SPIKE) {
          assertTrue(injection.factor() >= 4.0 && injection.factor() <= 8.0, injection::toString);
        }
      }
    }
  }

  /**
   * The generator prices cached input at half price and 35% of chat requests hit the cache for
   * 20-90% of their prompt, so losing the cache raises a feature's expected cost by only a few
   * percent; the label says so rather than claiming more.
   */
  @Test
  void cacheCollapseFactorIsTheExpectedCostRatio() {
    Injection collapse = AnomalyPlan.plan(OCTOBER, 30, 7, 6).injections().get(5);

    assertEquals("chat_assistant", collapse.scopeValue());
    assertEquals(1.04, collapse.factor());
  }

  @Test
  void addedEventsFollowTheFactorAndTheScopesShare() {
    List<Injection> injections = AnomalyPlan.plan(OCTOBER, 30, 7, 6).injections();
    Injection spike = injections.get(0);
    Injection drop = injections.get(1);
    Injection ramp = injections.get(2);

    assertEquals("code_review", spike.scopeValue());
    assertEquals(4.4, spike.factor());
    assertEquals(Math.round(3.4 * 1_000 * CATALOG.featureShare(CATALOG.featureIndex("code_review"))),
        spike.extraEvents(spike.startHour(), 1_000));
    assertEquals(88, spike.extraEvents(spike.startHour(), 1_000));
    assertEquals(0, spike.extraEvents(spike.startHour() - 1, 1_000));
    assertEquals(0, spike.extraEvents(spike.startHour() + spike.hours(), 1_000));
    assertEquals(0, drop.extraEvents(drop.startHour(), 1_000));
    // The ramp climbs by 4/36 an hour to 5x at its 36th hour, then holds for 12.
    assertEquals(1 + 4.0 / 36, ramp.volumeMultiplier(ramp.startHour()));
    assertEquals(3.0, ramp.volumeMultiplier(ramp.startHour() + 17));
    assertEquals(5.0, ramp.volumeMultiplier(ramp.startHour() + 35));
    assertEquals(5.0, ramp.volumeMultiplier(ramp.startHour() + 47));
    assertEquals(Math.round(4.0 * 1_000 * CATALOG.featureShare(ramp.feature())),
        ramp.extraEvents(ramp.startHour() + 40, 1_000));
  }

  @Test
  void activeAtFindsTheOneWindowOfAnHour() {
    AnomalyPlan plan = AnomalyPlan.plan(OCTOBER, 30, 7, 6);
    Injection ramp = plan.injections().get(2);

    assertSame(ramp, plan.activeAt(ramp.startHour()));
    assertSame(ramp, plan.activeAt(ramp.startHour() + 47));
    assertNull(plan.activeAt(ramp.startHour() + 48));
    assertNull(plan.activeAt(ramp.startHour() - 1));
    assertNull(plan.activeAt(0));
    assertNull(AnomalyPlan.NONE.activeAt(400));
  }

  @Test
  void samePlanForTheSameSeedAndAnotherForAnother() {
    assertEquals(AnomalyPlan.plan(OCTOBER, 30, 7, 6).injections(),
        AnomalyPlan.plan(OCTOBER, 30, 7, 6).injections());
    assertFalse(AnomalyPlan.plan(OCTOBER, 30, 7, 6).injections()
        .equals(AnomalyPlan.plan(OCTOBER, 30, 8, 6).injections()));
    assertSame(AnomalyPlan.NONE, AnomalyPlan.plan(OCTOBER, 1, 7, 0));
  }

  @Test
  void labelsRoundTripThroughTheirFile() throws IOException {
    AnomalyPlan plan = AnomalyPlan.plan(OCTOBER, 30, 7, 2);
    AnomalyLabel.Scope total = new AnomalyLabel.Scope("total", "all");
    AnomalyLabel.Scope feature = new AnomalyLabel.Scope("feature", "meeting_notes");
    List<AnomalyLabel> labels = plan.labels(OCTOBER, Map.of("a01", List.of(feature, total)));
    Path file = tempDir.resolve("labels.jsonl");
    AnomalyLabel.writeAll(file, labels);

    assertEquals(labels, AnomalyLabel.readAll(file));
    Injection spike = plan.injections().get(0);
    assertEquals("{\"label_id\":\"a01\",\"kind\":\"spike\",\"scope_type\":\"feature\","
        + "\"scope_value\":\"meeting_notes\",\"start\":\"" + labels.get(0).start() + "\",\"end\":\""
        + labels.get(0).end() + "\",\"factor\":6.3,\"driver\":\"factor:volume\",\"affected_scopes\":["
        + "{\"scope_type\":\"feature\",\"scope_value\":\"meeting_notes\"},"
        + "{\"scope_type\":\"total\",\"scope_value\":\"all\"}]}", Files.readAllLines(file).get(0));
    assertEquals(Instant.parse("2026-10-01T00:00:00Z").plusSeconds(3600L * spike.startHour()),
        labels.get(0).start());
    assertEquals(List.of(), labels.get(1).affectedScopes());
  }

  @Test
  void aLabelsFileWrittenWhenTheTotalWasCalledTotalStillMatchesTheTotal() throws IOException {
    Path file = tempDir.resolve("old-labels.jsonl");
    Files.writeString(file, "{\"label_id\":\"a01\",\"kind\":\"drop\",\"scope_type\":\"total\","
        + "\"scope_value\":\"total\",\"start\":\"2026-10-22T14:00:00Z\",\"end\":\"2026-10-22T15:00:00Z\","
        + "\"factor\":0.0,\"driver\":\"factor:volume\",\"affected_scopes\":[{\"scope_type\":\"total\","
        + "\"scope_value\":\"total\"}]}\n");
    AnomalyLabel label = AnomalyLabel.readAll(file).get(0);
    assertEquals("all", label.scopeValue());
    assertEquals(List.of(new AnomalyLabel.Scope("total", "all")), label.affectedScopes());
  }

  @Test
  void aBrokenLabelsFileNamesTheLine() throws IOException {
    Path file = tempDir.resolve("labels.jsonl");
    Files.writeString(file, "\n{\"label_id\":\"a01\"}\n");

    IOException e = assertThrows(IOException.class, () -> AnomalyLabel.readAll(file));
    assertTrue(e.getMessage().startsWith(file + " line 2 is not an anomaly label: "), e.getMessage());
  }
}
