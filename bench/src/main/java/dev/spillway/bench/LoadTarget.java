package dev.spillway.bench;

import java.util.Map;

/**
 * One participant as the load generators see it: where to POST and which headers to add. Every
 * participant gets the same body and the same connections; only these differ.
 *
 * @param name participant id in the report ({@code direct}, {@code nginx}, {@code spillway}, {@code portkey})
 * @param url absolute URL of its chat completions endpoint
 * @param headers extra request headers (auth, Portkey's provider selection)
 */
record LoadTarget(String name, String url, Map<String, String> headers) {}
