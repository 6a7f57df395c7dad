/**
 * The credentials Spillway presents to its backends: none, a static API key, an API key read from
 * a mounted secret file, or an Entra ID bearer token obtained with a client secret, a managed
 * identity (the instance metadata service or App Service's identity endpoint), an AKS workload
 * identity's federated token, or a certificate-signed client assertion.
 *
 * <p>The edge asks a {@link dev.spillway.gateway.credentials.BackendCredential} for a header before
 * each attempt and calls {@code invalidate} after a backend answers 401. Everything that changes
 * over time (files, tokens) goes through one single-flight cache, {@code RefreshingCredential}, fed
 * by one {@code CredentialSource} per kind; the token kinds share {@code TokenHttp} (the exchange)
 * and {@code TokenReply} (reading the answer). Nothing in this package ever puts a secret into a log
 * line, an exception message or a {@code toString()}.
 */
package dev.spillway.gateway.credentials;
