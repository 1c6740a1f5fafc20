package dev.costlake.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.costlake.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `costlake alerts test --channel NAME` against a real HTTP server on 127.0.0.1; no Spark. */
class AlertsCliTest {
  private static final String TOKEN = "cli-secret-9d8c7b6a5f";

  private record Result(int exitCode, String out, String err) {}

  private static Result run(String... args) {
    PrintStream originalOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(System.out, true));
    try {
      return new Result(cli.execute(args), out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(originalOut);
    }
  }

  @Test
  void aTestMessageReachesTheChannelAndAFailureSaysWhyWithoutTheSecret() throws IOException {
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      received.add(new ObjectMapper().readTree(exchange.getRequestBody().readAllBytes()));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    int refused;
    try (ServerSocket closed = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      refused = closed.getLocalPort();
    }
    try {
      Result ok = run("alerts", "test", "--channel", "ops", "--set", "alerts.channels.ops.type=slack",
          "--set", "alerts.channels.ops.url=http://127.0.0.1:" + server.getAddress().getPort() + "/services/" + TOKEN);
      assertEquals(0, ok.exitCode(), ok.err());
      assertEquals("costlake alerts test: delivered a test message through channel ops (slack)\n", ok.out());
      assertEquals(1, received.size());
      assertEquals("[costlake] INFO test: Test message from costlake to channel ops", received.get(0).get("text").asText());

      Result down = run("alerts", "test", "--channel", "ops", "--set", "alerts.channels.ops.type=webhook",
          "--set", "alerts.delivery.backoff=1ms",
          "--set", "alerts.channels.ops.url=http://127.0.0.1:" + refused + "/hooks/" + TOKEN);
      assertEquals(Main.EXIT_FAILED, down.exitCode());
      assertEquals("costlake alerts test: FAILED to deliver through channel ops (webhook) after 3 attempts:"
          + " connection refused or unreachable\n", down.out());
      assertFalse((down.out() + down.err()).contains(TOKEN));

      Result unknown = run("alerts", "test", "--channel", "nope");
      assertEquals(Main.EXIT_USAGE, unknown.exitCode());
      assertEquals("costlake: No channel 'nope': configured channels are [] (alerts.channels.<name>.type and its"
          + " settings)\n", unknown.err());

      // A bad channel is refused before anything runs, and its URL is not echoed.
      Result bad = run("alerts", "test", "--channel", "x", "--set", "alerts.channels.x.type=slack",
          "--set", "alerts.channels.x.url=ftp://" + TOKEN);
      assertEquals(Main.EXIT_USAGE, bad.exitCode());
      assertEquals("costlake: Cannot set alerts.channels.x.url: must be an http:// or https:// URL (value not shown)\n",
          bad.err());
      for (String help : List.of("alerts", "alerts test", "alerts list")) {
        Result h = run((help + " --help").split(" "));
        assertEquals(0, h.exitCode());
        assertTrue(h.out().startsWith("Usage: costlake " + help), h.out());
      }
    } finally {
      server.stop(0);
    }
  }
}
