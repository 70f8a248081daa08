/**
 * Helpers for reading the user's configuration files (patterns, inventory mappings, identity
 * policies) so that every problem names its file, line and, for a misspelt name, the nearest
 * valid one.
 */
package dev.weft.config;
