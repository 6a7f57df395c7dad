/**
 * The credentials Spillway presents to its backends: none, a static API key, an API key read from
 * a mounted secret file, or an Entra ID bearer token obtained with client credentials.
 *
 * <p>The edge asks a {@link dev.spillway.gateway.credentials.BackendCredential} for a header before
 * each attempt and calls {@code invalidate} after a backend answers 401. Everything that changes
 * over time (files, tokens) goes through one single-flight cache, {@code RefreshingCredential}.
 * Nothing in this package ever puts a secret into a log line, an exception message or a {@code
 * toString()}.
 */
package dev.spillway.gateway.credentials;
