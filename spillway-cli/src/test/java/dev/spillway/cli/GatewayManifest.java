package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ListenAddress;
import dev.spillway.core.config.SpillwayConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** What the rendered manifests say about the gateway's pod: its config, its environment, what it reads. */
final class GatewayManifest {
  static final String CONFIG_MAP = "spillway-config";
  static final String CONFIG_KEY = "spillway.yaml";

  private GatewayManifest() {}

  /** A Secret or ConfigMap a pod reads, with the key when one is named. */
  record Reference(String kind, String name, String key, String where) {}

  /** The ConfigMap's spillway.yaml as it is (ports and all). */
  static String configText(ManifestSet set) {
    ConfigMap map = set.get(ConfigMap.class, CONFIG_MAP);
    assertThat(map.getData()).containsKey(CONFIG_KEY);
    return map.getData().get(CONFIG_KEY);
  }

  /**
   * The gateway container's environment: plain values as written, Secret references resolved in {@code secret} (the
   * set's own Secret of that name when it has one). A reference to anything else fails.
   */
  static Map<String, String> environment(ManifestSet set, Secret external) {
    Container gateway = DeploymentManifestsTest.gatewayContainer(set.get(Deployment.class, "spillway"));
    assertThat(gateway.getEnvFrom()).as("every variable named one by one").isNullOrEmpty();
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : gateway.getEnv()) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), var.getValue());
        continue;
      }
      var ref = var.getValueFrom().getSecretKeyRef();
      assertThat(ref).as("%s comes from a Secret", var.getName()).isNotNull();
      Secret secret = set.find(Secret.class, ref.getName()).orElse(external);
      assertThat(secret.getMetadata().getName()).isEqualTo(ref.getName());
      Map<String, String> values = values(secret);
      assertThat(values).as("%s: key %s of Secret %s", var.getName(), ref.getKey(), ref.getName())
          .containsKey(ref.getKey());
      env.put(var.getName(), values.get(ref.getKey()));
    }
    return env;
  }

  /**
   * The ConfigMap's config loaded by the project's config loader with exactly the Deployment's environment: a
   * {@code ${NAME}} the Deployment does not set is an error there, as it would be in the pod.
   */
  static SpillwayConfig config(ManifestSet set, Secret external) {
    return DeploymentManifestsTest.load(configText(set), environment(set, external));
  }

  /** The ports the gateway listens on with this config: the client listener's and admin's own, if any. */
  static List<Integer> listenPorts(SpillwayConfig config) {
    List<Integer> ports = new ArrayList<>(List.of(config.server().port()));
    config.admin().listen().map(ListenAddress::parse).map(ListenAddress::port).ifPresent(ports::add);
    return ports;
  }

  /** The preStop hook's wait: an exec of {@code sleep N} or Kubernetes' own sleep action. */
  static long preStopSeconds(Container container) {
    Lifecycle lifecycle = container.getLifecycle();
    assertThat(lifecycle).as("a lifecycle with preStop").isNotNull();
    var preStop = lifecycle.getPreStop();
    assertThat(preStop).as("preStop").isNotNull();
    if (preStop.getSleep() != null) {
      return preStop.getSleep().getSeconds();
    }
    List<String> command = preStop.getExec().getCommand();
    assertThat(command).hasSize(2).first().isEqualTo("sleep");
    return Long.parseLong(command.get(1));
  }

  /** Every Secret and ConfigMap the set's pods read: env, envFrom and volumes, of every Deployment and StatefulSet. */
  static Set<Reference> references(ManifestSet set) {
    Set<Reference> refs = new LinkedHashSet<>();
    Stream<Map.Entry<String, PodSpec>> pods = Stream.concat(
        set.all(Deployment.class).stream().map(d -> Map.entry(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec())),
        set.all(StatefulSet.class).stream().map(s -> Map.entry(s.getMetadata().getName(), s.getSpec().getTemplate().getSpec())));
    pods.forEach(pod -> {
      String owner = pod.getKey();
      for (Container c : pod.getValue().getContainers()) {
        for (EnvVar var : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
          if (var.getValueFrom() == null) {
            continue;
          }
          var secret = var.getValueFrom().getSecretKeyRef();
          var map = var.getValueFrom().getConfigMapKeyRef();
          if (secret != null) {
            refs.add(new Reference("Secret", secret.getName(), secret.getKey(), owner + " " + var.getName()));
          }
          if (map != null) {
            refs.add(new Reference("ConfigMap", map.getName(), map.getKey(), owner + " " + var.getName()));
          }
        }
        for (var from : c.getEnvFrom() == null ? List.<io.fabric8.kubernetes.api.model.EnvFromSource>of() : c.getEnvFrom()) {
          if (from.getSecretRef() != null) {
            refs.add(new Reference("Secret", from.getSecretRef().getName(), null, owner + " envFrom"));
          }
          if (from.getConfigMapRef() != null) {
            refs.add(new Reference("ConfigMap", from.getConfigMapRef().getName(), null, owner + " envFrom"));
          }
        }
      }
      for (var volume : pod.getValue().getVolumes() == null ? List.<io.fabric8.kubernetes.api.model.Volume>of()
          : pod.getValue().getVolumes()) {
        if (volume.getSecret() != null) {
          refs.add(new Reference("Secret", volume.getSecret().getSecretName(), null, owner + " volume " + volume.getName()));
        }
        if (volume.getConfigMap() != null) {
          refs.add(new Reference("ConfigMap", volume.getConfigMap().getName(), null, owner + " volume " + volume.getName()));
        }
      }
    });
    return refs;
  }

  /** A Secret's keys, from data and stringData. */
  static Set<String> keys(Secret secret) {
    return values(secret).keySet();
  }

  private static Map<String, String> values(Secret secret) {
    Map<String, String> values = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }
}
