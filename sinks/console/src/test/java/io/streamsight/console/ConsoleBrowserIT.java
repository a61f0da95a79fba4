package io.streamsight.console;

import static io.streamsight.console.ConsoleFixture.nowMicros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.console.search.SearchBackend;
import io.streamsight.console.search.SearchHit;
import io.streamsight.console.search.SearchRequest;
import io.streamsight.console.subscriptions.SubscriptionsBackend;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.CameraState;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.CommittedRecords;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console page in a real headless Chromium against a real broker: live updates, rules and
 * questions written from the page, the token check, search, a phone-sized screen; and the
 * screenshot in the README (written to target/console-live.png; {@code -Dconsole.screenshot=PATH}
 * writes it there too, e.g. docs/console.png).
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
  /** The search backend until the archive is wired in: answers "red car" with one known window. */
  private static final class FakeSearch implements SearchBackend {
    final List<SearchHit> hits = new CopyOnWriteArrayList<>();

    @Override
    public List<SearchHit> search(SearchRequest r) {
      return hits.stream()
          .filter(h -> r.text().contains("red car"))
          .filter(h -> r.cameraId() == null || r.cameraId().equals(h.cameraId()))
          .toList();
    }

    @Override
    public boolean configured() {
      return true;
    }
  }

  private final FakeSearch search = new FakeSearch();
  private ConsoleFixture console;
  private ChromeDriver browser;

  @BeforeAll
  void start(KafkaBroker broker, @TempDir Path profile) throws Exception {
    Browser.assumeInstalled();
    console = new ConsoleFixture(broker, search, SubscriptionsBackend.NOT_CONFIGURED);
    browser = Browser.start(profile, 1280, 800);
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (console != null) {
      console.close();
    }
  }

  private void viewport(int width, int height) {
    browser.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  private void open(String path, String page) {
    browser.get(console.uri(path).toString());
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(d -> page.equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(ExpectedConditions.textToBe(By.id("conn"), "live"));
  }

  private void useToken(String token) {
    browser.get(console.uri("/rules#token=" + token).toString());
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(
            d -> "rules".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    assertFalse(browser.getCurrentUrl().contains("token="), "the token is taken out of the URL");
  }

  @Test
  @Order(1)
  void shouldRenderTheLivePageForTheScreenshot() throws Exception {
    viewport(1280, 800);
    open("/", "live");
    long t = nowMicros() - 60_000_000;
    String[][] cams = {
      {"front-door", "A courier in a blue jacket leaves a parcel at the front door."},
      {"garage", "The garage is empty; the door is closed and the light is off."},
      {"gate", "A red car stops at the gate; the barrier stays down."},
      {"yard", "Two people walk across the yard towards the shed."},
    };
    Color[] things = {Color.BLUE, Color.GRAY, new Color(200, 30, 30), new Color(230, 200, 40)};
    for (int i = 0; i < cams.length; i++) {
      String cam = cams[i][0];
      console.publish(Topics.STATUS, ConsoleFixture.status(cam, CameraState.ONLINE));
      var m =
          console.publish(
              Topics.KEYFRAMES,
              io.streamsight.testkit.records.FrameRecords.keyframe(
                      io.streamsight.testkit.records.FrameRecords.frame(cam, i, t).build())
                  .setJpeg(
                      java.nio.ByteBuffer.wrap(
                          SceneImages.scene(
                              cam, new Color(120, 160, 210), new Color(70, 110, 60), things[i], i)))
                  .setWidth(640)
                  .setHeight(360)
                  .build());
      KeyframeRef ref =
          KeyframeRef.newBuilder()
              .setTopic(m.topic())
              .setPartition(m.partition())
              .setOffset(m.offset())
              .setCaptureTimeMicros(t)
              .build();
      console.publish(
          Topics.SUMMARIES,
          ConsoleFixture.summary(cam, t + i * 10_000_000L, cams[i][1], List.of(ref)));
      if (cam.equals("gate")) {
        console.publish(
            Topics.ALERTS,
            ConsoleFixture.alert(
                cam,
                "red-car",
                "Is a red car at the gate?",
                Severity.HIGH,
                t + 20_000_000L,
                List.of(ref)));
      }
    }
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(d -> d.findElements(By.cssSelector("#tiles .tile img[src]")).size() >= cams.length);
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(
            d ->
                (Boolean)
                    browser.executeScript(
                        "return ['front-door', 'garage', 'gate', 'yard'].every(c =>"
                            + " [...document.querySelectorAll('[data-camera=' + c + '] img')]"
                            + ".every(i => i.complete && i.naturalWidth > 0))"));
    byte[] png = browser.getScreenshotAs(OutputType.BYTES);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(1280, img.getWidth());
    assertEquals(800, img.getHeight());
    Path target = Path.of("target", "console-live.png");
    Files.createDirectories(target.getParent());
    Files.write(target, png);
    String docs = System.getProperty("console.screenshot");
    if (docs != null && !docs.isBlank()) {
      Files.write(Path.of(docs), png);
    }
  }

  @Test
  @Order(2)
  void shouldShowASummaryWithinTwoSecondsOfItBeingPublished() throws Exception {
    viewport(1280, 800);
    open("/", "live");
    String cam = "cam-live-" + UUID.randomUUID().toString().substring(0, 6);
    String text = "a summary to watch " + UUID.randomUUID();
    console.publish(Topics.SUMMARIES, ConsoleFixture.summary(cam, nowMicros(), text, List.of()));
    long committed = System.nanoTime();
    new WebDriverWait(browser, Duration.ofSeconds(2), Duration.ofMillis(20))
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("feed"), text));
    long millis = (System.nanoTime() - committed) / 1_000_000;
    assertTrue(millis <= 2000, "shown after " + millis + " ms");
    // The camera got a tile too.
    assertTrue(browser.findElement(By.cssSelector("[data-camera='" + cam + "']")).isDisplayed());
  }

  @Test
  @Order(3)
  void shouldSendARuleAddedInThePageToTheRulesTopic() throws Exception {
    useToken(console.tokenValue());
    open("/rules", "rules");
    String id = "page-rule-" + UUID.randomUUID().toString().substring(0, 6);
    browser.findElement(By.name("id")).sendKeys(id);
    browser.findElement(By.name("cameraGlob")).sendKeys("gate-*");
    browser.findElement(By.name("question")).sendKeys("Is a car at the gate?");
    WebElement threshold = browser.findElement(By.name("threshold"));
    threshold.clear();
    threshold.sendKeys("0.7");
    new Select(browser.findElement(By.name("severity"))).selectByValue("HIGH");
    browser.findElement(By.cssSelector("#rule-form button[type=submit]")).click();

    AlertRule stored =
        Await.until(
                "the page's rule on vlm.rules",
                Duration.ofSeconds(20),
                () -> CommittedRecords.read(console.broker.bootstrapServers(), Topics.RULES),
                l -> l.stream().anyMatch(r -> id.equals(r.key())))
            .stream()
            .filter(r -> id.equals(r.key()))
            .findFirst()
            .orElseThrow()
            .value();
    assertEquals("gate-*", stored.getCameraGlob());
    assertEquals("Is a car at the gate?", stored.getQuestion());
    assertEquals(0.7, stored.getThreshold());
    assertEquals(Severity.HIGH, stored.getSeverity());
    assertTrue(stored.getEnabled());
    // The table shows it once it is back from the topic (live event), and can disable it.
    WebElement row =
        new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(d -> d.findElement(By.cssSelector("tr[data-rule='" + id + "']")));
    row.findElement(By.cssSelector("input[type=checkbox]")).click();
    Await.until(
        "the rule disabled on vlm.rules",
        Duration.ofSeconds(20),
        () -> CommittedRecords.read(console.broker.bootstrapServers(), Topics.RULES),
        l ->
            l.stream()
                .filter(r -> id.equals(r.key()))
                .reduce((a, b) -> b)
                .map(r -> r.value() != null && !r.value().getEnabled())
                .orElse(false));
  }

  @Test
  @Order(4)
  void shouldShowTheAnswerToAQuestionAskedInThePage() throws Exception {
    useToken(console.tokenValue());
    String cam = "cam-ask-" + UUID.randomUUID().toString().substring(0, 6);
    console.publish(Topics.STATUS, ConsoleFixture.status(cam, CameraState.ONLINE));
    Await.until(
        "the camera known to the console",
        Duration.ofSeconds(10),
        () -> console.get("/api/cameras/" + cam).statusCode() == 200);
    open("/camera?id=" + cam, "camera");
    browser.findElement(By.id("question")).sendKeys("What colour is the car?");
    browser.findElement(By.cssSelector("#ask-form button[type=submit]")).click();

    ConsumerRecord<String, Query> asked =
        Await.until(
                "the page's question on vlm.queries",
                Duration.ofSeconds(20),
                () -> CommittedRecords.read(console.broker.bootstrapServers(), Topics.QUERIES),
                l -> l.stream().anyMatch(r -> cam.equals(r.value().getCameraId())))
            .stream()
            .filter(r -> cam.equals(r.value().getCameraId()))
            .findFirst()
            .orElseThrow();
    assertEquals("What colour is the car?", asked.value().getQuestion());
    // The operator's part, played by the test: the answer on vlm.answers.
    console.publish(
        Topics.ANSWERS,
        ConsoleFixture.answer(asked.key(), cam, asked.value().getQuestion(), "The car is red."));
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-query='" + asked.key() + "'] .answer-text"),
                "The car is red."));
  }

  @Test
  @Order(5)
  void shouldRefuseAWriteWithoutTheToken() throws Exception {
    open("/rules", "rules");
    browser.findElement(By.id("token-box")).click();
    browser.findElement(By.id("token-clear")).click();
    String id = "no-token-" + UUID.randomUUID().toString().substring(0, 6);
    browser.findElement(By.name("id")).sendKeys(id);
    browser.findElement(By.name("cameraGlob")).sendKeys("*");
    browser.findElement(By.name("question")).sendKeys("Is anyone there?");
    browser.findElement(By.cssSelector("#rule-form button[type=submit]")).click();
    WebElement msg =
        new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(d -> d.findElement(By.cssSelector("#rule-msg .notice.error")));
    assertTrue(msg.getText().contains("401"), msg.getText());
    // And the request itself, as the page sent it: a 401 from the server.
    Object status =
        browser.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('/api/rules/x', {method: 'PUT', headers: {'Content-Type':"
                + " 'application/json'}, body: '{\"cameraGlob\":\"*\",\"question\":\"Q?\"}'})"
                + ".then(r => done(r.status), e => done(String(e)));");
    assertEquals(401L, status);
    assertFalse(
        CommittedRecords.read(console.broker.bootstrapServers(), Topics.RULES).stream()
            .anyMatch(r -> id.equals(r.key())));
  }

  @Test
  @Order(6)
  void shouldFindAKnownWindowBySearch() throws Exception {
    String cam = "cam-search-" + UUID.randomUUID().toString().substring(0, 6);
    long start = nowMicros() - 3_600_000_000L;
    KeyframeRef ref = console.publishKeyframe(cam, 1, start, Color.RED);
    search.hits.add(
        new SearchHit(
            "summary",
            cam,
            start,
            start + 10_000_000,
            "A red car waits at the gate.",
            3.2,
            List.of(ref)));
    open("/search?q=red+car&camera=" + cam, "search");
    WebElement hit =
        new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(d -> d.findElement(By.cssSelector("#results li.hit")));
    assertTrue(hit.getText().contains("A red car waits at the gate."), hit.getText());
    assertTrue(hit.getText().contains(cam), hit.getText());
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(
            d ->
                (Boolean)
                    browser.executeScript(
                        "const i = document.querySelector('#results li.hit img');"
                            + " return !!i && i.complete && i.naturalWidth > 0"));
    // The search box keeps the deep link's query.
    assertEquals("red car", browser.findElement(By.name("q")).getDomProperty("value"));
  }

  @Test
  @Order(7)
  void shouldFitAPhoneSizedScreen() throws Exception {
    viewport(390, 844);
    for (String[] p : new String[][] {{"/", "live"}, {"/rules", "rules"}, {"/alerts", "alerts"}}) {
      open(p[0], p[1]);
      Object overflow =
          browser.executeScript(
              "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assertEquals(0L, overflow, p[0] + " scrolls sideways on a phone");
    }
    viewport(1280, 800);
  }

  @Test
  @Order(8)
  void shouldShowAnAlertEventOnceWithItsLatestPhase() throws Exception {
    viewport(1280, 800);
    String cam = "cam-event-" + UUID.randomUUID().toString().substring(0, 6);
    long t = nowMicros();
    Alert started =
        Alert.newBuilder(ConsoleFixture.alert(cam, "fence", Severity.HIGH, t, List.of()))
            .setPhase(AlertPhase.STARTED)
            .setEventStartMicros(t)
            .setPeakPYes(0.93)
            .build();
    console.publish(Topics.ALERTS, started);
    open("/alerts", "alerts");
    String item = "#alerts li[data-key='alert/" + started.getAlertId() + "']";
    // The list is re-rendered as records arrive: an element found a moment ago can be gone by the
    // time it is read, so each check finds it again and a stale one is simply retried.
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              WebElement e = d.findElement(By.cssSelector(item));
              return "STARTED".equals(e.getDomAttribute("data-phase"))
                  && e.getText().contains("ongoing");
            });
    console.publish(
        Topics.ALERTS,
        Alert.newBuilder(started)
            .setPhase(AlertPhase.UPDATED)
            .setSummaryText("a person climbs the fence")
            .build());
    console.publish(
        Topics.ALERTS,
        Alert.newBuilder(started)
            .setPhase(AlertPhase.ENDED)
            .setSummaryText("a person climbs the fence")
            .setEventEndMicros(t + 31_000_000L)
            .setEndReason("CLEARED")
            .build());
    String text =
        new WebDriverWait(browser, Duration.ofSeconds(20))
            .ignoring(StaleElementReferenceException.class)
            .until(
                d -> {
                  WebElement e = d.findElement(By.cssSelector(item));
                  return "ENDED".equals(e.getDomAttribute("data-phase")) ? e.getText() : null;
                });
    assertEquals(1, browser.findElements(By.cssSelector(item)).size(), "one entry per event");
    assertTrue(text.contains("ended after 31 s"), text);
    assertTrue(text.contains("peak 0.93"), text);
    assertTrue(text.contains("a person climbs the fence"), text);
  }
}
