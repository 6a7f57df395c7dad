package dev.spillway.cli.init;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.Tier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a {@link ConfigDraft} as a commented {@code spillway.yaml}: a header saying where it came from and which
 * environment variables it needs, one pool per model with a comment above each backend saying what was found, one
 * consumer, and the key store. Secrets appear only as {@code ${NAME}} references. Pure.
 */
public final class InitYaml {
  /** The variable the written config reads the gateway key pepper from. */
  public static final String PEPPER_ENV = "SPILLWAY_KEY_PEPPER";
  /** The variable that may move the listener; unset, the written default (127.0.0.1:8080) applies. */
  public static final String LISTEN_ENV = "SPILLWAY_LISTEN";
  /** Where the written config keeps gateway keys, relative to the config file. */
  public static final String KEY_STORE = "spillway-data/keys.json";

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9._/:@+-]*");
  private static final Pattern SPECIAL = Pattern.compile("(?i)true|false|yes|no|on|off|null|y|n");

  private InitYaml() {}

  /**
   * @param consumer the consumer id the file lists (with every model)
   * @param team its team
   */
  public static String write(ConfigDraft draft, BackendAuthStyle auth, String consumer, String team) {
    StringBuilder y = new StringBuilder();
    header(y, draft, auth);
    y.append("server:\n");
    y.append("  listen: ${").append(LISTEN_ENV).append(":-127.0.0.1:8080}   # host:port the gateway listens on\n\n");
    y.append("models:                                    # logical model name -> pool of backends\n");
    for (Map.Entry<String, List<DraftBackend>> model : draft.models().entrySet()) {
      boolean hasPtu = model.getValue().stream().anyMatch(b -> b.tier() == Tier.PTU);
      String key = "  " + scalar(model.getKey()) + ":";
      y.append(key).append(" ".repeat(Math.max(1, 43 - key.length())))
          .append("# what clients send as \"model\" (or as the deployment in an Azure URL)\n");
      y.append("    strategy: priority                     # PTU (priority 1) first, PAYG (priority 2) takes the overflow\n");
      if (hasPtu) {
        y.append("    # maxWaitForPtu: 1500ms                # wait up to this for a full PTU before paying for PAYG"
            + " (default 0s: spill at once)\n");
      }
      y.append("    backends:\n");
      for (DraftBackend b : model.getValue()) {
        backend(y, b, auth);
      }
      y.append('\n');
    }
    y.append("consumers:                                 # who may call; each gets gateway keys (spillway keys create)\n");
    y.append("  - id: ").append(scalar(consumer)).append('\n');
    y.append("    team: ").append(scalar(team)).append("                          # who pays, for chargeback\n");
    y.append("    models: [\"*\"]                          # every model above; narrow it with names or globs\n\n");
    y.append("auth:\n");
    y.append("  required: true                           # every request needs a gateway key (or a JWT, see auth.jwt)\n");
    y.append("  keyStore: ").append(KEY_STORE).append("        # salted hashes of the gateway keys; relative to this file\n");
    y.append("  keyPepper: ${").append(PEPPER_ENV).append("}        # secret mixed into every key hash, 16+ characters\n");
    return y.toString();
  }

  private static void header(StringBuilder y, ConfigDraft draft, BackendAuthStyle auth) {
    y.append("# Spillway config written by `spillway init` from ").append(draft.resources().size())
        .append(draft.resources().size() == 1 ? " Azure OpenAI resource:\n" : " Azure OpenAI resources:\n");
    for (DiscoveredResource r : draft.resources()) {
      y.append("#   ").append(r.name()).append(r.location().map(l -> " (" + l + ")").orElse("")).append("  ")
          .append(r.endpoint()).append("  ")
          .append(r.viaManagementApi() ? "deployments, SKUs and capacity from Azure Resource Manager"
              : "deployments from the key-only data-plane list: no SKU, check each tier")
          .append('\n');
    }
    y.append("#\n# Each model is one pool: its PTU (provisioned) deployments at priority 1 are filled first, its PAYG\n");
    y.append("# (standard) deployments at priority 2 take the overflow. Secrets are read from the environment when\n");
    y.append("# the gateway starts and are never written here:\n");
    Map<String, String> env = new LinkedHashMap<>();
    if (auth instanceof BackendAuthStyle.Entra entra) {
      env.put(entra.secretEnv(), "the client secret of application " + entra.clientId());
    } else {
      draft.resources().forEach(r -> env.putIfAbsent(r.keyEnv(), "the key of " + r.name()));
    }
    env.put(PEPPER_ENV, "the secret gateway keys are hashed with");
    int width = env.keySet().stream().mapToInt(String::length).max().orElse(0);
    env.forEach((name, what) -> y.append("#   ").append(name).append(" ".repeat(width - name.length() + 2))
        .append(what).append('\n'));
    for (String note : draft.notes()) {
      y.append("# Note: ").append(note).append('\n');
    }
    y.append("# Review it, then run: spillway serve --config <this file>. examples/spillway.yaml describes every key.\n\n");
  }

  private static void backend(StringBuilder y, DraftBackend b, BackendAuthStyle auth) {
    for (String comment : b.comments()) {
      y.append("      # ").append(comment).append('\n');
    }
    y.append("      - id: ").append(scalar(b.id())).append('\n');
    y.append("        type: azure\n");
    y.append("        url: ").append(scalar(b.url().toString())).append('\n');
    y.append("        deployment: ").append(scalar(b.deployment())).append('\n');
    y.append("        apiVersion: ").append(BackendConfig.DEFAULT_API_VERSION).append('\n');
    y.append("        auth:\n");
    if (auth instanceof BackendAuthStyle.Entra entra) {
      y.append("          entra:\n");
      y.append("            tokenUrl: ").append(scalar(entra.tokenUrl().toString())).append('\n');
      y.append("            clientId: ").append(scalar(entra.clientId())).append('\n');
      y.append("            clientSecret: ${").append(entra.secretEnv()).append("}\n");
    } else {
      y.append("          apiKey: ${").append(b.keyEnv()).append("}\n");
    }
    y.append("        tier: ").append(b.tier().id()).append('\n');
    y.append("        priority: ").append(b.priority()).append('\n');
    if (!b.region().isEmpty()) {
      y.append("        region: ").append(scalar(b.region())).append('\n');
    }
    if (b.tokensPerMinute().isPresent()) {
      y.append("        capacity:\n");
      y.append("          tokensPerMinute: ").append(b.tokensPerMinute().getAsLong())
          .append(b.tier() == Tier.PTU ? "   # the PTU station times its queue by it\n"
              : "   # the quota: the router sends elsewhere what would surely exceed it\n");
    }
  }

  /** {@code text} as a YAML scalar: plain when that is unambiguous, else double-quoted. */
  static String scalar(String text) {
    if (PLAIN.matcher(text).matches() && !SPECIAL.matcher(text).matches() && !text.contains(": ")) {
      return text;
    }
    StringBuilder q = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        default -> {
          if (c < 0x20) {
            q.append(String.format("\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
