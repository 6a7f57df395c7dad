package dev.spillway.core.config;

/**
 * Binds one pipeline policy's own config section, so a new policy brings its settings without changes to the config
 * loader. The section may stand at the root of the file (the gateway-wide default) and under each consumer (that
 * consumer's own); the loader finds binders with {@link java.util.ServiceLoader} (listed in {@code
 * META-INF/services/dev.spillway.core.config.PolicySettingsBinder}) and reports their problems with key and line like
 * its own.
 */
public interface PolicySettingsBinder {

  /** The section's key, for example {@code maxTokens}. */
  String key();

  /**
   * Binds the section, reporting problems through it.
   *
   * @return the immutable settings (one type per binder), or null when the section had problems
   */
  Object bind(SettingsSection section);
}
