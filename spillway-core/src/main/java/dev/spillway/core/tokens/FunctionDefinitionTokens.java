package dev.spillway.core.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Map;

/**
 * Approximates what the {@code tools} / {@code functions} definitions of a chat request add to the
 * prompt. OpenAI does not publish how it renders them; this is the approximation of the OpenAI
 * cookbook "How to count tokens with tiktoken", section 7 "Counting tokens for chat completions with
 * tool calls" ({@code num_tokens_for_tools}), which matched the API on its example (105 tokens on
 * gpt-4 / gpt-3.5-turbo, 101 on gpt-4o / gpt-4o-mini):
 *
 * <pre>
 *   per function  func_init (7 on o200k models, 10 on cl100k) + tokens("name:description")
 *   properties    prop_init 3 once, then per property 3 + tokens("key:type:description")
 *   enum          -3 once per enum property, then 3 + tokens(item) per item
 *   all functions func_end 12 once
 * </pre>
 *
 * (a trailing "." of a description is dropped). Our extensions, where the cookbook has nothing:
 * a missing description or type reads as empty; a property's nested {@code properties} / {@code
 * items} schema adds the tokens of its compact JSON; a tool that is not a function adds the tokens
 * of its JSON. Estimates, not exact: fixture cases built on them are marked approximate.
 */
final class FunctionDefinitionTokens {
  private static final int FUNC_INIT_O200K = 7;
  private static final int FUNC_INIT_CL100K = 10;
  private static final int PROP_INIT = 3;
  private static final int PROP_KEY = 3;
  private static final int ENUM_INIT = -3;
  private static final int ENUM_ITEM = 3;
  private static final int FUNC_END = 12;

  private FunctionDefinitionTokens() {}

  /**
   * Tokens for a request's {@code tools} (items {@code {type: function, function: {...}}}) and
   * legacy {@code functions} (bare function objects); 0 when both are absent or empty.
   */
  static long count(JsonNode tools, JsonNode functions, Encoding encoding, EncodingType type) {
    int funcInit = type == EncodingType.CL100K_BASE ? FUNC_INIT_CL100K : FUNC_INIT_O200K;
    long total = 0;
    boolean any = false;
    if (tools != null && tools.isArray()) {
      for (JsonNode tool : tools) {
        any = true;
        JsonNode function = tool.get("function");
        total += function != null && function.isObject()
            ? function(function, funcInit, encoding)
            : encoding.countTokensOrdinary(tool.toString());
      }
    }
    if (functions != null && functions.isArray()) {
      for (JsonNode function : functions) {
        any = true;
        total += function(function, funcInit, encoding);
      }
    }
    return any ? total + FUNC_END : 0;
  }

  private static long function(JsonNode function, int funcInit, Encoding encoding) {
    long total = funcInit;
    String line = text(function.get("name")) + ":" + withoutFinalPeriod(text(function.get("description")));
    total += encoding.countTokensOrdinary(line);
    JsonNode parameters = function.get("parameters");
    JsonNode properties = parameters == null ? null : parameters.get("properties");
    if (properties == null || !properties.isObject() || properties.isEmpty()) {
      return total;
    }
    total += PROP_INIT;
    for (Map.Entry<String, JsonNode> property : properties.properties()) {
      JsonNode schema = property.getValue();
      total += PROP_KEY;
      JsonNode enumValues = schema.get("enum");
      if (enumValues != null && enumValues.isArray()) {
        total += ENUM_INIT;
        for (JsonNode item : enumValues) {
          total += ENUM_ITEM + encoding.countTokensOrdinary(item.asText());
        }
      }
      JsonNode typeNode = schema.get("type");
      String type = typeNode == null ? "" : typeNode.isTextual() ? typeNode.textValue() : typeNode.toString();
      String description = withoutFinalPeriod(text(schema.get("description")));
      total += encoding.countTokensOrdinary(property.getKey() + ":" + type + ":" + description);
      for (String nested : new String[] {"properties", "items"}) {
        JsonNode sub = schema.get(nested);
        if (sub != null && !sub.isNull()) {
          total += encoding.countTokensOrdinary(sub.toString());
        }
      }
    }
    return total;
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : "";
  }

  private static String withoutFinalPeriod(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
