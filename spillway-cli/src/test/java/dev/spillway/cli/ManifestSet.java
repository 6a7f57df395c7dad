package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The objects a kustomization directory renders to, each parsed into Kubernetes' own object model (fabric8's classes),
 * with every field the model does not know reported as an error. The rendering is this test's own and covers what
 * deploy/kubernetes uses: {@code resources} (files, and directories with their own kustomization), {@code
 * configMapGenerator} from files with a stable name, and {@code labels} added to every object's metadata; any other
 * kustomization key fails, so a manifest cannot rely on something this rendering silently skips.
 */
record ManifestSet(List<HasMetadata> objects) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** fabric8 8 binds with Jackson 3; the YAML is read with the project's Jackson 2 and handed over as plain maps. */
  private static final tools.jackson.databind.ObjectMapper MODEL = tools.jackson.databind.json.JsonMapper.builder().build();
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "v1/ServiceAccount", ServiceAccount.class,
      "v1/Service", Service.class,
      "v1/Secret", Secret.class,
      "v1/ConfigMap", ConfigMap.class,
      "apps/v1/Deployment", Deployment.class,
      "apps/v1/StatefulSet", StatefulSet.class,
      "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
      "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
  private static final Set<String> KUSTOMIZATION_KEYS =
      Set.of("apiVersion", "kind", "resources", "configMapGenerator", "labels");

  /** Renders the kustomization in {@code directory}. */
  static ManifestSet render(Path directory) throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    renderInto(directory, objects);
    Map<String, HasMetadata> seen = new LinkedHashMap<>();
    for (HasMetadata o : objects) {
      HasMetadata before = seen.put(o.getKind() + "/" + o.getMetadata().getName(), o);
      assertThat(before).as("%s %s defined twice", o.getKind(), o.getMetadata().getName()).isNull();
    }
    return new ManifestSet(List.copyOf(objects));
  }

  @SuppressWarnings("unchecked")
  private static void renderInto(Path directory, List<HasMetadata> objects) throws IOException {
    Path file = directory.resolve("kustomization.yaml");
    assertThat(file).as("a kustomization in %s", directory).isRegularFile();
    Map<String, Object> k = YAML.readValue(file.toFile(), Map.class);
    assertThat(KUSTOMIZATION_KEYS).as("keys of %s this rendering knows", file).containsAll(k.keySet());
    assertThat(k).containsEntry("apiVersion", "kustomize.config.k8s.io/v1beta1").containsEntry("kind", "Kustomization");
    List<HasMetadata> mine = new ArrayList<>();
    for (String resource : (List<String>) k.getOrDefault("resources", List.of())) {
      Path path = directory.resolve(resource).normalize();
      if (Files.isDirectory(path)) {
        renderInto(path, mine);
      } else {
        mine.addAll(parseFile(path));
      }
    }
    for (Map<String, Object> generator : (List<Map<String, Object>>) k.getOrDefault("configMapGenerator", List.of())) {
      assertThat(generator.keySet()).as("configMapGenerator keys this rendering knows")
          .isSubsetOf("name", "files", "options");
      assertThat((Map<String, Object>) generator.get("options"))
          .as("a generated ConfigMap keeps its name (no hash suffix), so its updates reach running pods")
          .containsEntry("disableNameSuffixHash", true);
      Map<String, String> data = new LinkedHashMap<>();
      for (String name : (List<String>) generator.get("files")) {
        data.put(name, Files.readString(directory.resolve(name)));
      }
      Map<String, Object> cm = Map.of("apiVersion", "v1", "kind", "ConfigMap",
          "metadata", Map.of("name", generator.get("name")), "data", data);
      mine.add(typed(cm, file + " configMapGenerator"));
    }
    for (Map<String, Object> label : (List<Map<String, Object>>) k.getOrDefault("labels", List.of())) {
      assertThat(label.keySet()).as("labels: only pairs (added to metadata, not to selectors)").containsOnly("pairs");
      Map<String, String> pairs = (Map<String, String>) label.get("pairs");
      for (HasMetadata o : mine) {
        Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(o.getMetadata().getLabels()).orElse(Map.of()));
        labels.putAll(pairs);
        o.getMetadata().setLabels(labels);
      }
    }
    objects.addAll(mine);
  }

  @SuppressWarnings("unchecked")
  private static List<HasMetadata> parseFile(Path file) throws IOException {
    List<HasMetadata> parsed = new ArrayList<>();
    try (var docs = YAML.readerFor(Map.class).<Map<String, Object>>readValues(file.toFile())) {
      while (docs.hasNextValue()) {
        Map<String, Object> doc = docs.nextValue();
        if (doc != null) {
          parsed.add(typed(doc, file.toString()));
        }
      }
    }
    assertThat(parsed).as("objects in %s", file).isNotEmpty();
    return parsed;
  }

  private static HasMetadata typed(Map<String, Object> doc, String where) {
    String type = doc.get("apiVersion") + "/" + doc.get("kind");
    Class<? extends HasMetadata> kind = KINDS.get(type);
    if (kind == null) {
      fail("%s: %s is not a kind this test knows (%s)", where, type, KINDS.keySet());
    }
    HasMetadata object = MODEL.convertValue(doc, kind);
    String name = object.getMetadata() == null ? null : object.getMetadata().getName();
    assertThat(name).as("%s: metadata.name of a %s", where, type).isNotBlank();
    List<String> unknown = new ArrayList<>();
    unknownFields(object, type + " " + name, unknown);
    assertThat(unknown).as("%s: fields the Kubernetes object model does not know", where).isEmpty();
    return object;
  }

  /** Collects every field that landed in a model object's additionalProperties (fabric8's catch-all). */
  private static void unknownFields(Object node, String path, List<String> unknown) {
    if (node == null) {
      return;
    }
    if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        unknownFields(list.get(i), path + "[" + i + "]", unknown);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(key -> unknown.add(path + "." + key));
        }
      } else if (!(value instanceof String) && !getter.getName().equals("getData")
          && !getter.getName().equals("getStringData")) {
        unknownFields(value, path + "." + getter.getName().substring(3), unknown);
      }
    }
  }

  <T extends HasMetadata> List<T> all(Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
    return all(kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> kind, String name) {
    return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }
}
