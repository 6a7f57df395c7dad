package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ListenAddress;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.pipeline.PipelineAssembler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes and deploy/Dockerfile say what the gateway really does: every manifest parses into Kubernetes'
 * object model with no unknown field; the ConfigMap's spillway.yaml loads with the project's own config loader and the
 * Deployment's environment; the probes ask the paths the gateway answers on the ports its config listens on; the grace
 * period covers preStop and the drain; the PodDisruptionBudget, the autoscaler and the Services find the Deployment;
 * every Secret and ConfigMap a pod reads exists or is documented as the operator's to create. DeploymentRunTest then
 * starts the gateway as the image would and asks those probes.
 */
class DeploymentManifestsTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
  /** The Secret the base reads without defining it: the operator creates it (docs/operations.md lists its keys). */
  static final String EXTERNAL_SECRET = "spillway-secrets";

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/example"})
  void theConfigMapsConfigLoadsWithTheDeploymentsEnvironmentAndListensWhereTheProbesAsk(String dir) throws Exception {
    ManifestSet set = ManifestSet.render(KUBERNETES.resolve(dir));
    Deployment deployment = set.get(Deployment.class, "spillway");
    Container gateway = gatewayContainer(deployment);
    SpillwayConfig config = GatewayManifest.config(set, exampleSecret());
    new PipelineAssembler().validate(config.pipeline());

    int clientPort = config.server().port();
    assertThat(config.server().host()).as("reachable from the kubelet and the Service").isEqualTo("0.0.0.0");
    assertThat(containerPort(gateway, "http")).isEqualTo(clientPort);
    config.admin().listen().ifPresent(admin ->
        assertThat(containerPort(gateway, "admin")).isEqualTo(ListenAddress.parse(admin).port()));
    assertThat(gateway.getPorts()).extracting(ContainerPort::getContainerPort)
        .as("a container port for each listener, and none without one")
        .containsExactlyInAnyOrderElementsOf(GatewayManifest.listenPorts(config));

    Map<String, String> probes = Map.of(
        "startup", "/healthz", "liveness", "/healthz", "readiness", "/readyz");
    probes.forEach((which, path) -> {
      HTTPGetAction get = probe(gateway, which).getHttpGet();
      assertThat(get).as("%s probe asks over HTTP", which).isNotNull();
      assertThat(get.getPath()).as("%s probe path", which).isEqualTo(path);
      int port = containerPort(gateway, get.getPort().getStrVal());
      assertThat(port).as("%s probe port: a port the gateway listens on", which)
          .isIn(GatewayManifest.listenPorts(config));
    });

    // Readiness turns 503 at the first moment of a stop: the kubelet must see it while the listener still accepts.
    Probe readiness = probe(gateway, "readiness");
    assertThat(readiness.getPeriodSeconds() * readiness.getFailureThreshold())
        .as("seconds until readiness fails after a SIGTERM <= server.drainDelay")
        .isLessThanOrEqualTo((int) config.server().drainDelay().toSeconds());

    // The grace period covers preStop, the drain delay, the drain, the last cut requests' second and the flush.
    long preStop = GatewayManifest.preStopSeconds(gateway);
    long drain = preStop + config.server().drainDelay().toSeconds() + config.server().drainTimeout().toSeconds() + 1;
    assertThat(preStop).as("preStop waits for the endpoints' removal to spread").isPositive();
    assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .as("terminationGracePeriodSeconds > preStop + drainDelay + drainTimeout + 1 s").isGreaterThan(drain);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/example"})
  void theBudgetTheAutoscalerAndTheServicesFindTheDeployment(String dir) throws Exception {
    ManifestSet set = ManifestSet.render(KUBERNETES.resolve(dir));
    Deployment deployment = set.get(Deployment.class, "spillway");
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

    PodDisruptionBudget pdb = set.get(PodDisruptionBudget.class, "spillway");
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);

    HorizontalPodAutoscaler hpa = set.get(HorizontalPodAutoscaler.class, "spillway");
    assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
    assertThat(hpa.getSpec().getMinReplicas()).as("a disruption leaves one replica serving").isGreaterThanOrEqualTo(2);
    assertThat(deployment.getSpec().getReplicas()).as("the autoscaler owns the count").isNull();
    assertThat(gatewayContainer(deployment).getResources().getRequests())
        .as("CPU utilization is measured against the request").containsKey("cpu");

    List<Service> gatewayServices = set.all(Service.class).stream()
        .filter(s -> s.getMetadata().getName().startsWith("spillway") && podLabels.entrySet()
            .containsAll(s.getSpec().getSelector().entrySet()))
        .toList();
    assertThat(gatewayServices).extracting(s -> s.getMetadata().getName()).contains("spillway");
    for (Service service : gatewayServices) {
      service.getSpec().getPorts().forEach(p -> {
        assertThat(p.getTargetPort().getStrVal()).as("%s targets a container port by name", service.getMetadata().getName())
            .isNotNull();
        containerPort(gatewayContainer(deployment), p.getTargetPort().getStrVal());
      });
    }
    assertThat(set.get(Service.class, "spillway").getSpec().getPorts()).extracting(p -> p.getTargetPort().getStrVal())
        .as("the client Service carries no admin traffic").containsExactly("http");
    String account = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    assertThat(set.find(ServiceAccount.class, account)).as("service account %s", account).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/example"})
  void everySecretAndConfigMapAPodReadsExistsOrIsDocumentedAsTheOperators(String dir) throws Exception {
    ManifestSet set = ManifestSet.render(KUBERNETES.resolve(dir));
    String operations = Files.readString(ROOT.resolve("docs/operations.md"));
    for (GatewayManifest.Reference ref : GatewayManifest.references(set)) {
      if (ref.kind().equals("Secret")) {
        var secret = set.find(Secret.class, ref.name());
        if (secret.isPresent()) {
          assertThat(GatewayManifest.keys(secret.get())).as("%s", ref).contains(ref.key());
        } else {
          assertThat(ref.name()).as("%s: not in %s", ref, dir).isEqualTo(EXTERNAL_SECRET);
          assertThat(operations).as("docs/operations.md documents %s", ref).contains("`" + ref.key() + "`");
        }
      } else {
        ConfigMap map = set.get(ConfigMap.class, ref.name());
        if (ref.key() != null) {
          assertThat(map.getData()).as("%s", ref).containsKey(ref.key());
        }
      }
    }
    assertThat(operations).contains("`" + EXTERNAL_SECRET + "`");
    if (dir.startsWith("overlays/example")) {
      assertThat(set.find(Secret.class, EXTERNAL_SECRET)).as("the example brings a placeholder Secret").isPresent();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/example"})
  void thePodRunsAsTheImagesNonRootUserWithAReadOnlyRootAndWritesOnlyToVolumes(String dir) throws Exception {
    ManifestSet set = ManifestSet.render(KUBERNETES.resolve(dir));
    DockerfileFacts image = DockerfileFacts.read(ROOT.resolve("deploy/Dockerfile"));
    Deployment deployment = set.get(Deployment.class, "spillway");
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container gateway = gatewayContainer(deployment);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(image.uid().orElseThrow().longValue());
    assertThat(gateway.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(gateway.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(gateway.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(gateway.getCommand()).as("the image's ENTRYPOINT runs as it is").isNullOrEmpty();
    assertThat(gateway.getArgs()).as("the image's CMD runs as it is").isNullOrEmpty();

    // The CMD's config file is the ConfigMap's key in the directory it is mounted on, mounted whole (no subPath).
    Path configFile = Path.of(image.cmd().get(image.cmd().indexOf("--config") + 1));
    VolumeMount configMount = mountAt(gateway, configFile.getParent().toString());
    assertThat(configMount.getSubPath()).as("a subPath mount never sees ConfigMap updates").isNull();
    String configMapName = pod.getVolumes().stream().filter(v -> v.getName().equals(configMount.getName()))
        .findFirst().orElseThrow().getConfigMap().getName();
    assertThat(set.get(ConfigMap.class, configMapName).getData()).containsKey(configFile.getFileName().toString());

    // What the gateway writes goes to volumes: /tmp (spooled uploads) and the ledger's spill directory.
    SpillwayConfig config = GatewayManifest.config(set, exampleSecret());
    mountAt(gateway, "/tmp");
    Path spill = config.ledger().spillDirectory();
    assertThat(gateway.getVolumeMounts().stream()
        .filter(m -> !m.getName().equals(configMount.getName()) && spill.startsWith(m.getMountPath())))
        .as("ledger.spillDirectory %s is on a writable volume", spill).isNotEmpty();
  }

  @Test
  void theDockerfileIsMultiStageNonRootAndAgreesWithTheManifestsAndTheLauncher() throws Exception {
    DockerfileFacts image = DockerfileFacts.read(ROOT.resolve("deploy/Dockerfile"));
    assertThat(image.stages()).as("build, runtime and final stages").hasSizeGreaterThanOrEqualTo(2);
    assertThat(image.uid()).as("USER is numeric").isPresent();
    assertThat(image.uid().orElseThrow()).as("not root").isPositive();

    ManifestSet set = ManifestSet.render(KUBERNETES.resolve("base"));
    Container gateway = gatewayContainer(set.get(Deployment.class, "spillway"));
    assertThat(image.exposed()).as("EXPOSE = the container ports")
        .containsExactlyInAnyOrderElementsOf(gateway.getPorts().stream().map(ContainerPort::getContainerPort).toList());
    assertThat(image.healthcheck()).as("HEALTHCHECK asks the liveness probe's path on the client port")
        .anySatisfy(word -> assertThat(word).contains("/healthz").contains("/" + containerPort(gateway, "http") + " "));

    // The launcher's own JVM flags are all in the ENTRYPOINT, and the modules they add are in the linked runtime.
    String launcher = Files.readAllLines(ROOT.resolve("spillway")).stream()
        .filter(l -> l.startsWith("flags=(")).findFirst().orElseThrow();
    List<String> launcherFlags = List.of(launcher.substring("flags=(".length(), launcher.indexOf(')')).split(" "));
    assertThat(String.join(" ", image.jvmFlags())).contains(String.join(" ", launcherFlags));
    // The start-up cache, as the launcher uses it: made in the image by the training run with the ENTRYPOINT's own
    // flags and jar, and named by the ENTRYPOINT.
    assertThat(image.jvmFlags()).contains("-XX:AOTCache=/opt/spillway/spillway.aot");
    assertThat(Files.readString(ROOT.resolve("deploy/Dockerfile")))
        .contains("-XX:AOTCacheOutput=/opt/spillway/spillway.aot").contains("train-startup");
    assertThat(image.jvmFlags()).contains("-XX:+ExitOnOutOfMemoryError").anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage="));
    int addModules = image.jvmFlags().indexOf("--add-modules");
    assertThat(List.of(image.jlinkModules().split(","))).contains(image.jvmFlags().get(addModules + 1).split(","));
    assertThat(image.entrypoint().getLast()).isEqualTo("/opt/spillway/spillway.jar");
    assertThat(image.cmd()).startsWith("serve", "--config");
  }

  static Container gatewayContainer(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("spillway")).findFirst().orElseThrow();
  }

  static int containerPort(Container container, String name) {
    return container.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + name)).getContainerPort();
  }

  static Probe probe(Container container, String which) {
    Probe probe = switch (which) {
      case "startup" -> container.getStartupProbe();
      case "liveness" -> container.getLivenessProbe();
      default -> container.getReadinessProbe();
    };
    assertThat(probe).as("%s probe", which).isNotNull();
    return probe;
  }

  private static VolumeMount mountAt(Container container, String path) {
    return container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
  }

  /** The example overlay's placeholder Secret: the shape the operator's own spillway-secrets has. */
  static Secret exampleSecret() throws Exception {
    return ManifestSet.render(KUBERNETES.resolve("overlays/example")).get(Secret.class, EXTERNAL_SECRET);
  }

  /** Only for the config's reading: ConfigLoader is the same code {@code spillway serve} loads the file with. */
  static SpillwayConfig load(String yaml, Map<String, String> env) {
    return ConfigLoader.parse(yaml, "spillway.yaml", env::get, Path.of("/etc/spillway"));
  }
}
