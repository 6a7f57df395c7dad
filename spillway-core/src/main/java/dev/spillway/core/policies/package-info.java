/**
 * The settings of pipeline policies that bind their own config sections (see {@link
 * dev.spillway.core.config.PolicySettingsBinder}): each a record with its binder, registered as a service, found by
 * the config loader on the class path. The policies themselves live in the gateway.
 */
package dev.spillway.core.policies;
