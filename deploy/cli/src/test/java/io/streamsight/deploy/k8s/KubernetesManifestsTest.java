package io.streamsight.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.ingest.config.IngestConfig;
import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.inference.GpuDevice;
import io.streamsight.vlm.runtime.ExecutionProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Schema-level checks of deploy/k8s, no cluster needed: every manifest parses and has the fields
 * its kind requires, references only images, ConfigMaps, volumes and classes the build produces or
 * documents, and the KafkaTopic resources are exactly {@link Topics#all()}.
 */
class KubernetesManifestsTest {
  static final Path K8S = Path.of("../k8s");
  static final Path DOCKERFILE = Path.of("../Dockerfile");
  static final Path DOCS = Path.of("../..", "docs", "kubernetes.md");

  /** The images deploy/Dockerfile builds (and docs/kubernetes.md documents). */
  static final Set<String> IMAGES =
      Set.of(
          "streamsight/streamsight:0.1.0-SNAPSHOT", "streamsight/streamsight:0.1.0-SNAPSHOT-gpu");

  static final String CLI = "/opt/streamsight/bin/streamsight";

  static List<Doc> docs;

  record Doc(Path file, Map<String, Object> body) {
    String kind() {
      return (String) body.get("kind");
    }

    String name() {
      return (String) map(body.get("metadata")).get("name");
    }

    Map<String, Object> spec() {
      return map(body.get("spec"));
    }

    @Override
    public String toString() {
      return file.getFileName() + ":" + kind() + "/" + name();
    }
  }

  @BeforeAll
  static void load() throws IOException {
    docs = new ArrayList<>();
    for (Path f : manifestFiles()) {
      for (Object o : new Yaml().loadAll(Files.readString(f))) {
        if (o != null) {
          docs.add(new Doc(f, map(o)));
        }
      }
    }
  }

  static List<Path> manifestFiles() throws IOException {
    try (Stream<Path> s = Files.list(K8S)) {
      return s.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList();
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    assertTrue(o instanceof Map, "expected a mapping, got " + o);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    assertTrue(o instanceof List, "expected a list, got " + o);
    return (List<Object>) o;
  }

  static Object at(Map<String, Object> m, String dottedPath) {
    Object cur = m;
    for (String k : dottedPath.split("\\.")) {
      assertTrue(cur instanceof Map, "no '" + dottedPath + "' (stopped at " + k + ")");
      cur = ((Map<?, ?>) cur).get(k);
      assertNotNull(cur, "missing '" + dottedPath + "'");
    }
    return cur;
  }

  List<Doc> ofKind(String kind) {
    return docs.stream().filter(d -> kind.equals(d.kind())).toList();
  }

  Set<String> names(String kind) {
    return ofKind(kind).stream().map(Doc::name).collect(Collectors.toSet());
  }

  @Test
  void everyDocumentHasApiVersionKindAndAValidName() {
    assertTrue(docs.size() > 10, "manifests: " + docs);
    Set<String> seen = new HashSet<>();
    for (Doc d : docs) {
      assertTrue(d.body().get("apiVersion") instanceof String, d + ": apiVersion");
      assertTrue(d.kind() != null && !d.kind().isBlank(), d + ": kind");
      assertTrue(d.name().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), d + ": metadata.name");
      assertTrue(seen.add(d.kind() + "/" + d.name()), d + " defined twice");
    }
  }

  @Test
  void kustomizationListsEveryManifest() throws IOException {
    Map<String, Object> k =
        map(new Yaml().load(Files.readString(K8S.resolve("kustomization.yaml"))));
    Set<String> listed =
        list(k.get("resources")).stream().map(String::valueOf).collect(Collectors.toSet());
    Set<String> files =
        manifestFiles().stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    assertEquals(files, listed);
  }

  @Test
  void kafkaIsKraftWithNodePoolsReplicatedThreeTimes() {
    List<Doc> kafkas = ofKind("Kafka");
    assertEquals(1, kafkas.size());
    Doc kafka = kafkas.get(0);
    assertEquals("kafka.strimzi.io/v1beta2", kafka.body().get("apiVersion"));
    Map<String, Object> ann = map(at(kafka.body(), "metadata.annotations"));
    assertEquals("enabled", ann.get("strimzi.io/kraft"));
    assertEquals("enabled", ann.get("strimzi.io/node-pools"));
    assertFalse(list(at(kafka.spec(), "kafka.listeners")).isEmpty());
    Map<String, Object> config = map(at(kafka.spec(), "kafka.config"));
    assertEquals(3, config.get("offsets.topic.replication.factor"));
    assertEquals(3, config.get("transaction.state.log.replication.factor"));
    assertEquals(2, config.get("min.insync.replicas"));
    assertEquals(false, config.get("auto.create.topics.enable"));
    // The broker must take the largest record any topic declares (Topics is the one source).
    Topics.brokerMessageSizeConfigs()
        .forEach((k, v) -> assertEquals(v, String.valueOf(config.get(k)), "kafka.config " + k));

    List<Doc> pools = ofKind("KafkaNodePool");
    assertFalse(pools.isEmpty());
    int nodes = 0;
    for (Doc pool : pools) {
      assertEquals(kafka.name(), map(at(pool.body(), "metadata.labels")).get("strimzi.io/cluster"));
      assertTrue(list(at(pool.spec(), "roles")).containsAll(List.of("controller", "broker")));
      assertNotNull(at(pool.spec(), "storage.type"));
      nodes += (Integer) at(pool.spec(), "replicas");
    }
    assertTrue(nodes >= 3, "3 nodes needed for replication factor 3, min ISR 2");
  }

  @Test
  void kafkaTopicsAreExactlyTheTopicsTheCodeDeclares() {
    Map<String, TopicDescriptor<?, ?>> expected = new TreeMap<>();
    Topics.all().forEach(t -> expected.put(t.name(), t));
    Map<String, Map<String, Object>> actual = new TreeMap<>();
    String kafka = ofKind("Kafka").get(0).name();
    for (Doc d : ofKind("KafkaTopic")) {
      assertEquals(
          kafka, map(at(d.body(), "metadata.labels")).get("strimzi.io/cluster"), d.toString());
      String topic = (String) at(d.spec(), "topicName");
      assertEquals(topic.replace('.', '-'), d.name(), d + ": name follows topicName");
      assertTrue(actual.put(topic, d.spec()) == null, topic + " declared twice");
    }
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach(
        (name, t) -> {
          Map<String, Object> spec = actual.get(name);
          assertEquals(t.partitions(), spec.get("partitions"), name + " partitions");
          assertEquals(3, spec.get("replicas"), name + " replicas");
          Map<String, Object> config = map(spec.get("config"));
          Map<String, String> got = new TreeMap<>();
          config.forEach((k, v) -> got.put(k, String.valueOf(v)));
          Map<String, String> want = new TreeMap<>(t.configs());
          want.put("min.insync.replicas", "2");
          assertEquals(want, got, name + " config (cleanup policy, retention, min ISR)");
        });
  }

  @Test
  void containersRunOnlyTheImagesTheBuildProduces() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE);
    String guide = Files.readString(DOCS);
    for (String image : IMAGES) {
      assertTrue(dockerfile.contains("-t " + image + " "), "Dockerfile builds " + image);
      assertTrue(guide.contains(image), "docs/kubernetes.md documents " + image);
    }
    assertTrue(dockerfile.contains(CLI), "Dockerfile installs " + CLI);
    assertTrue(dockerfile.contains("/opt/flink/usrlib/streamsight.jar"), "Dockerfile fills usrlib");
    List<String> seen = new ArrayList<>();
    for (Doc d : ofKind("Deployment")) {
      for (Object c : list(at(d.spec(), "template.spec.containers"))) {
        Map<String, Object> container = map(c);
        String image = (String) container.get("image");
        assertTrue(IMAGES.contains(image), d + " uses undocumented image " + image);
        assertEquals(List.of(CLI), container.get("command"), d + " command");
        seen.add(image);
      }
    }
    for (Doc d : ofKind("FlinkDeployment")) {
      assertTrue(IMAGES.contains((String) d.spec().get("image")), d + " image");
    }
    assertFalse(seen.isEmpty());
  }

  @Test
  void deploymentsHaveSelectorsMatchingTheirPodsAndReachTheKafkaBootstrapService() {
    Doc kafka = ofKind("Kafka").get(0);
    Map<String, Object> listener = map(list(at(kafka.spec(), "kafka.listeners")).get(0));
    String bootstrap = kafka.name() + "-kafka-bootstrap:" + listener.get("port");
    Set<String> components = new HashSet<>();
    for (Doc d : ofKind("Deployment")) {
      assertEquals("apps/v1", d.body().get("apiVersion"));
      assertTrue((Integer) d.spec().get("replicas") >= 1, d + " replicas");
      Map<String, Object> selector = map(at(d.spec(), "selector.matchLabels"));
      Map<String, Object> labels = map(at(d.spec(), "template.metadata.labels"));
      assertTrue(labels.entrySet().containsAll(selector.entrySet()), d + " selector");
      components.add(String.valueOf(labels.get("app.kubernetes.io/component")));
      for (Object c : list(at(d.spec(), "template.spec.containers"))) {
        List<Object> args = list(map(c).get("args"));
        int i = args.indexOf("--bootstrap");
        assertTrue(i >= 0 && bootstrap.equals(args.get(i + 1)), d + " bootstraps " + bootstrap);
      }
    }
    assertEquals(Set.of("ingest", "sampler"), components);
  }

  @Test
  void volumesReferOnlyToConfigMapsSecretsAndClaimsDefinedHere() {
    Set<String> configMaps = names("ConfigMap");
    Set<String> secrets = names("Secret");
    Set<String> claims = names("PersistentVolumeClaim");
    List<Map<String, Object>> volumes = new ArrayList<>();
    for (Doc d : ofKind("Deployment")) {
      Object v = map(at(d.spec(), "template.spec")).get("volumes");
      if (v != null) {
        list(v).forEach(x -> volumes.add(map(x)));
      }
    }
    for (Doc d : ofKind("FlinkDeployment")) {
      list(at(d.spec(), "podTemplate.spec.volumes")).forEach(x -> volumes.add(map(x)));
      list(at(d.spec(), "taskManager.podTemplate.spec.volumes")).forEach(x -> volumes.add(map(x)));
    }
    assertFalse(volumes.isEmpty());
    for (Map<String, Object> v : volumes) {
      if (v.containsKey("configMap")) {
        assertTrue(configMaps.contains(at(v, "configMap.name")), "ConfigMap of " + v);
      }
      if (v.containsKey("persistentVolumeClaim")) {
        assertTrue(claims.contains(at(v, "persistentVolumeClaim.claimName")), "claim of " + v);
      }
      if (v.containsKey("secret")) {
        assertTrue(secrets.contains(at(v, "secret.secretName")), "Secret of " + v);
      }
    }
    for (Doc d : ofKind("PersistentVolumeClaim")) {
      assertFalse(list(at(d.spec(), "accessModes")).isEmpty(), d.toString());
      assertNotNull(at(d.spec(), "resources.requests.storage"), d.toString());
    }
  }

  @Test
  void theCamerasSecretIsAValidIngestConfig(@TempDir Path tmp) throws IOException {
    Doc cm =
        ofKind("Secret").stream()
            .filter(d -> d.name().equals("streamsight-cameras"))
            .findFirst()
            .orElseThrow();
    Path file = tmp.resolve("cameras.yaml");
    Files.writeString(file, (String) map(cm.body().get("stringData")).get("cameras.yaml"));
    IngestConfig config = IngestConfig.load(file);
    assertTrue(config.cameras().size() >= 1);
    // The ingest container reads the file where the ConfigMap is mounted.
    Doc ingest =
        ofKind("Deployment").stream()
            .filter(d -> d.name().equals("streamsight-ingest"))
            .findFirst()
            .orElseThrow();
    Map<String, Object> container = map(list(at(ingest.spec(), "template.spec.containers")).get(0));
    Map<String, Object> mount = map(list(container.get("volumeMounts")).get(0));
    assertTrue(list(container.get("args")).contains(mount.get("mountPath") + "/cameras.yaml"));
    Map<String, Object> volume =
        list(at(ingest.spec(), "template.spec.volumes")).stream()
            .map(KubernetesManifestsTest::map)
            .filter(v -> v.get("name").equals(mount.get("name")))
            .findFirst()
            .orElseThrow();
    assertEquals("streamsight-cameras", at(volume, "secret.secretName"), "cameras from a Secret");
  }

  @Test
  void theOperatorJobRunsOnGpuTaskManagersWithATensorRtCache() throws Exception {
    List<Doc> flink = ofKind("FlinkDeployment");
    assertEquals(1, flink.size());
    Doc d = flink.get(0);
    Map<String, Object> spec = d.spec();
    assertEquals("flink.apache.org/v1beta1", d.body().get("apiVersion"));
    assertEquals("v2_2", spec.get("flinkVersion"), "matches flink.version 2.2 in the root pom");
    assertTrue(names("ServiceAccount").contains(spec.get("serviceAccount")), "service account");
    Map<String, Object> conf = map(spec.get("flinkConfiguration"));
    assertEquals("gpu", conf.get("external-resources"));
    assertEquals("1", conf.get("external-resource.gpu.amount"));
    assertEquals(
        "org.apache.flink.externalresource.gpu.GPUDriverFactory",
        conf.get("external-resource.gpu.driver-factory.class"));
    assertEquals("nvidia.com/gpu", conf.get("external-resource.gpu.kubernetes.config-key"));
    assertNotNull(conf.get("execution.checkpointing.interval"), "checkpointing on");
    assertNotNull(at(spec, "jobManager.resource.memory"));
    assertNotNull(at(spec, "taskManager.resource.memory"));

    Map<String, Object> tm = map(list(at(spec, "taskManager.podTemplate.spec.containers")).get(0));
    assertEquals("flink-main-container", tm.get("name"));
    Map<String, Object> limits = map(at(tm, "resources.limits"));
    assertEquals(1, limits.get("nvidia.com/gpu"));
    Map<String, Object> trtMount =
        list(tm.get("volumeMounts")).stream()
            .map(KubernetesManifestsTest::map)
            .filter(m -> m.get("name").equals("trt-cache"))
            .findFirst()
            .orElseThrow();
    assertTrue(String.valueOf(trtMount.get("mountPath")).contains("trt"));

    Map<String, Object> job = map(spec.get("job"));
    assertEquals("local:///opt/flink/usrlib/streamsight.jar", job.get("jarURI"));
    // The entry class is ours and exists in this build.
    Class.forName((String) job.get("entryClass"));
    assertEquals("operator", list(job.get("args")).get(0));
    // The job reads the GPU index from the resource the manifest names, and the cache from the
    // variable the engine reads.
    assertEquals(GpuDevice.RESOURCE, conf.get("external-resources"));
    assertTrue(
        list(tm.get("env")).stream()
            .map(KubernetesManifestsTest::map)
            .anyMatch(e -> e.get("name").equals(EngineModelProvider.TRT_CACHE_ENV)));
  }

  @Test
  void theOperatorJobAsksForTensorRtWithFp16AsTheDocsPromise() {
    List<String> args =
        list(at(ofKind("FlinkDeployment").get(0).spec(), "job.args")).stream()
            .map(String::valueOf)
            .toList();
    picocli.CommandLine.ParseResult operator =
        new picocli.CommandLine(new io.streamsight.deploy.cli.StreamsightCli())
            .parseArgs(args.toArray(String[]::new))
            .subcommand();
    assertEquals(ExecutionProvider.TENSORRT, operator.matchedOptionValue("--provider", null));
    assertEquals(true, operator.matchedOptionValue("--tensorrt-fp16", false));
    assertEquals(ModelVariant.FP32, operator.matchedOptionValue("--variant", null));
  }

  // ---- What a security review asks of the manifests (issue 27, item 16) ----

  /** A URL with a password (scheme://user:password@host) or a key named like a secret. */
  static final java.util.regex.Pattern CREDENTIAL_URL =
      java.util.regex.Pattern.compile("[a-z][a-z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@");

  static final java.util.regex.Pattern SECRET_KEY =
      java.util.regex.Pattern.compile("(?i).*(password|passwd|secret|token|credential).*");

  @Test
  void noConfigMapHoldsCredentials() {
    for (Doc d : ofKind("ConfigMap")) {
      Object data = d.body().get("data");
      if (data == null) {
        continue;
      }
      map(data)
          .forEach(
              (k, v) -> {
                assertFalse(
                    SECRET_KEY.matcher(k).matches(), d + " key " + k + " belongs in a Secret");
                String text = String.valueOf(v);
                assertFalse(
                    CREDENTIAL_URL.matcher(text).find(), d + " " + k + ": URL with a password");
                for (String line : text.split("\n")) {
                  String key = line.trim().split(":", 2)[0];
                  assertFalse(
                      SECRET_KEY.matcher(key).matches(),
                      d + " " + k + ": '" + key + "' in a ConfigMap");
                }
              });
    }
    // The camera URLs (credentials in the URL) come from a Secret.
    assertTrue(names("Secret").contains("streamsight-cameras"));
  }

  /** Pod spec and its containers of every workload we define, with where they came from. */
  record Pod(String where, Map<String, Object> spec, List<Map<String, Object>> containers) {}

  List<Pod> deploymentPods() {
    List<Pod> pods = new ArrayList<>();
    for (Doc d : ofKind("Deployment")) {
      Map<String, Object> spec = map(at(d.spec(), "template.spec"));
      pods.add(
          new Pod(
              d.toString(),
              spec,
              list(spec.get("containers")).stream().map(KubernetesManifestsTest::map).toList()));
    }
    return pods;
  }

  static void assertRestrictedPod(String where, Map<String, Object> podSecurity) {
    assertEquals(true, podSecurity.get("runAsNonRoot"), where + " runAsNonRoot");
    Object uid = podSecurity.get("runAsUser");
    assertTrue(uid == null || ((Integer) uid) != 0, where + " runAsUser " + uid);
    assertEquals("RuntimeDefault", at(podSecurity, "seccompProfile.type"), where + " seccomp");
  }

  static void assertRestrictedContainer(String where, Map<String, Object> c, boolean readOnlyRoot) {
    assertEquals(false, c.get("allowPrivilegeEscalation"), where + " allowPrivilegeEscalation");
    assertEquals(List.of("ALL"), at(c, "capabilities.drop"), where + " capabilities.drop");
    if (readOnlyRoot) {
      assertEquals(true, c.get("readOnlyRootFilesystem"), where + " readOnlyRootFilesystem");
    }
  }

  @Test
  void everyContainerRunsAsNonRootWithoutCapabilitiesOrPrivilegeEscalation() {
    for (Pod p : deploymentPods()) {
      assertRestrictedPod(p.where(), map(at(p.spec(), "securityContext")));
      assertEquals(false, p.spec().get("automountServiceAccountToken"), p.where() + " token");
      for (Map<String, Object> c : p.containers()) {
        // Ingest decodes untrusted streams with FFmpeg: read-only root, /tmp is an emptyDir.
        assertRestrictedContainer(p.where(), map(at(c, "securityContext")), true);
        assertTrue(
            list(c.get("volumeMounts")).stream()
                .map(KubernetesManifestsTest::map)
                .anyMatch(m -> m.get("mountPath").equals("/tmp")),
            p.where() + " writable /tmp");
      }
    }
    Doc flink = ofKind("FlinkDeployment").get(0);
    assertRestrictedPod(
        flink.toString(), map(at(flink.spec(), "podTemplate.spec.securityContext")));
    for (Object c : list(at(flink.spec(), "podTemplate.spec.containers"))) {
      // Flink's entrypoint writes its conf dir: the root filesystem stays writable there.
      assertRestrictedContainer(flink.toString(), map(at(map(c), "securityContext")), false);
    }
    for (String kind : List.of("KafkaConnect", "KafkaNodePool")) {
      for (Doc d : ofKind(kind)) {
        assertEquals(true, at(d.spec(), "template.pod.securityContext.runAsNonRoot"), d.toString());
        String container = kind.equals("KafkaConnect") ? "connectContainer" : "kafkaContainer";
        assertRestrictedContainer(
            d.toString(), map(at(d.spec(), "template." + container + ".securityContext")), true);
      }
    }
  }

  static void assertRequestsAndLimits(String where, Map<String, Object> resources) {
    for (String k : List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
      assertNotNull(at(resources, k), where + " resources." + k);
    }
  }

  @Test
  void everyWorkloadHasCpuAndMemoryRequestsAndLimits() {
    for (Pod p : deploymentPods()) {
      for (Map<String, Object> c : p.containers()) {
        assertRequestsAndLimits(p.where(), map(c.get("resources")));
      }
    }
    for (Doc d : ofKind("KafkaNodePool")) {
      assertRequestsAndLimits(d.toString(), map(d.spec().get("resources")));
    }
    for (Doc d : ofKind("KafkaConnect")) {
      assertRequestsAndLimits(d.toString(), map(d.spec().get("resources")));
    }
    Doc kafka = ofKind("Kafka").get(0);
    for (String op : List.of("topicOperator", "userOperator")) {
      assertRequestsAndLimits(op, map(at(kafka.spec(), "entityOperator." + op + ".resources")));
    }
    // The Flink operator sets requests = limits from these.
    Doc flink = ofKind("FlinkDeployment").get(0);
    for (String role : List.of("jobManager", "taskManager")) {
      assertNotNull(at(flink.spec(), role + ".resource.cpu"), role + " cpu");
      assertNotNull(at(flink.spec(), role + ".resource.memory"), role + " memory");
    }
  }

  @Test
  void aStuckSamplerIsRestartedByProbesOnItsHealthFile() {
    Doc sampler =
        ofKind("Deployment").stream()
            .filter(d -> d.name().equals("streamsight-sampler"))
            .findFirst()
            .orElseThrow();
    Map<String, Object> c = map(list(at(sampler.spec(), "template.spec.containers")).get(0));
    List<Object> args = list(c.get("args"));
    int i = args.indexOf("--health-file");
    assertTrue(i >= 0, "the sampler writes a health file");
    String file = String.valueOf(args.get(i + 1));
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      String command =
          String.join(
              " ", list(at(c, probe + ".exec.command")).stream().map(String::valueOf).toList());
      assertTrue(command.contains(file) && command.contains("-mmin"), probe + ": " + command);
    }
    Doc flink = ofKind("FlinkDeployment").get(0);
    assertNotNull(
        at(
            map(list(at(flink.spec(), "jobManager.podTemplate.spec.containers")).get(0)),
            "livenessProbe"));
    assertNotNull(
        at(
            map(list(at(flink.spec(), "taskManager.podTemplate.spec.containers")).get(0)),
            "livenessProbe"));
  }

  static boolean selects(Map<String, Object> selectorLabels, Map<String, Object> podLabels) {
    return podLabels.entrySet().containsAll(selectorLabels.entrySet());
  }

  @Test
  void networkPoliciesLetOnlyThePipelinesPodsReachKafkaFlinkAndConnect() {
    List<Doc> policies = ofKind("NetworkPolicy");
    Map<String, Object> stages = Map.of("app.kubernetes.io/name", "streamsight");
    Map<String, Object> flinkPods = Map.of("app", ofKind("FlinkDeployment").get(0).name());
    Map<String, Object> connectPods =
        Map.of(
            "strimzi.io/cluster",
            ofKind("KafkaConnect").get(0).name(),
            "strimzi.io/kind",
            "KafkaConnect");
    for (Map<String, Object> pods : List.of(stages, flinkPods, connectPods)) {
      assertTrue(
          policies.stream()
              .anyMatch(p -> selects(map(at(p.spec(), "podSelector.matchLabels")), pods)),
          "a NetworkPolicy selects " + pods);
    }
    for (Doc p : policies) {
      assertEquals(List.of("Ingress"), p.spec().get("policyTypes"), p.toString());
    }
    // Every Deployment's pods are among the stages the no-ingress policy selects.
    for (Doc d : ofKind("Deployment")) {
      assertTrue(selects(stages, map(at(d.spec(), "template.metadata.labels"))), d.toString());
    }
    // Kafka: Strimzi generates the listener's policy from its peers: exactly the pipeline's pods.
    for (Object l : list(at(ofKind("Kafka").get(0).spec(), "kafka.listeners"))) {
      List<Map<String, Object>> peers =
          list(map(l).get("networkPolicyPeers")).stream()
              .map(x -> map(at(map(x), "podSelector.matchLabels")))
              .toList();
      assertEquals(Set.of(stages, flinkPods, connectPods), new HashSet<>(peers), "peers of " + l);
    }
  }

  @Test
  void everyContainerCommandLineParsesWithThisBuildsCli() {
    List<List<String>> commandLines = new ArrayList<>();
    for (Doc d : ofKind("Deployment")) {
      for (Object c : list(at(d.spec(), "template.spec.containers"))) {
        commandLines.add(list(map(c).get("args")).stream().map(String::valueOf).toList());
      }
    }
    for (Doc d : ofKind("FlinkDeployment")) {
      commandLines.add(list(at(d.spec(), "job.args")).stream().map(String::valueOf).toList());
    }
    Set<String> checked = new HashSet<>();
    for (List<String> args : commandLines) {
      picocli.CommandLine cli =
          new picocli.CommandLine(new io.streamsight.deploy.cli.StreamsightCli());
      cli.registerConverter(
          java.time.Duration.class, new io.streamsight.deploy.cli.DurationConverter());
      // A stage whose command has not landed yet is checked once it exists.
      if (cli.getSubcommands().containsKey(args.get(0))) {
        cli.parseArgs(args.toArray(String[]::new)); // throws on an unknown or missing option
        checked.add(args.get(0));
      }
    }
    assertTrue(checked.containsAll(Set.of("ingest", "operator")), "checked " + checked);
  }
}
