package dev.spillway.cli.init;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The ARM id of an Azure OpenAI (Cognitive Services) account: {@code
 * /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.CognitiveServices/accounts/{name}}.
 *
 * @param subscriptionId the subscription
 * @param resourceGroup the resource group
 * @param accountName the account (resource) name
 */
public record AzureResourceId(String subscriptionId, String resourceGroup, String accountName) {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._()-]*");

  public AzureResourceId {
    Objects.requireNonNull(subscriptionId, "subscriptionId");
    Objects.requireNonNull(resourceGroup, "resourceGroup");
    Objects.requireNonNull(accountName, "accountName");
  }

  /**
   * Parses an id as the portal's JSON view or {@code az cognitiveservices account show --query id} prints it; segment
   * names match case-insensitively, as in ARM.
   *
   * @throws IllegalArgumentException naming the expected shape when {@code text} is not such an id
   */
  public static AzureResourceId parse(String text) {
    String[] s = text.strip().split("/", -1);
    boolean ok = s.length == 9 && s[0].isEmpty() && is(s[1], "subscriptions") && is(s[3], "resourceGroups")
        && is(s[5], "providers") && is(s[6], "Microsoft.CognitiveServices") && is(s[7], "accounts")
        && SEGMENT.matcher(s[2]).matches() && SEGMENT.matcher(s[4]).matches() && SEGMENT.matcher(s[8]).matches();
    if (!ok) {
      throw new IllegalArgumentException("--resource-id '" + text + "' is not an Azure OpenAI resource id; expected "
          + "/subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>"
          + " (az cognitiveservices account show -n <name> -g <group> --query id)");
    }
    return new AzureResourceId(s[2], s[4], s[8]);
  }

  /** The id as a URL path, starting with {@code /subscriptions/}. */
  public String path() {
    return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
        + "/providers/Microsoft.CognitiveServices/accounts/" + accountName;
  }

  private static boolean is(String segment, String expected) {
    return segment.toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT));
  }
}
