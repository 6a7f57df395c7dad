package dev.spillway.core.cache.semantic;

/** A stored entry close enough to a question, and how close (cosine similarity, 1 = the same direction). */
public record SemanticMatch(SemanticEntry entry, double similarity) {}
