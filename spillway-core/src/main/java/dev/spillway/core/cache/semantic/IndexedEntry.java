package dev.spillway.core.cache.semantic;

/**
 * An entry as a partition holds it: with the serial number it was given when stored, unique for the index's life, so
 * a graph node can name it even after its id is stored again with another vector.
 */
record IndexedEntry(long serial, SemanticEntry entry) {}
