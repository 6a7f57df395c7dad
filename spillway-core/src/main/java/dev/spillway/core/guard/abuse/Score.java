package dev.spillway.core.guard.abuse;

import java.util.Map;

/**
 * One end user's abuse score (0–1), its trend ({@code rising}, {@code steady}, {@code falling}), its requests and
 * flagged requests since first seen, and the flagged ones by category.
 */
public record Score(EndUser user, double score, String trend, long requests, long flagged, Map<String, Long> categories) {}
