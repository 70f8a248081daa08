package dev.weft.model;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The configuration-specific part of an event: which object, what happened to it, at which source
 * version ({@code resourceVersion} for Kubernetes; it breaks ties between writes at the same event
 * time), its labels, its label selector (for objects that select others) and its references.
 */
public record ConfigPart(
    String objectKind,
    Optional<String> apiVersion,
    ConfigOperation operation,
    Optional<String> rawOperation,
    Optional<String> version,
    String name,
    Optional<String> namespace,
    Optional<String> uid,
    SortedMap<String, String> labels,
    SortedMap<String, String> selector,
    List<Reference> references) {

  public ConfigPart {
    Checks.nonEmpty(objectKind, "objectKind");
    Checks.notNull(apiVersion, "apiVersion");
    Checks.notNull(operation, "operation");
    Checks.notNull(rawOperation, "rawOperation");
    Checks.notNull(version, "version");
    Checks.nonEmpty(name, "name");
    Checks.notNull(namespace, "namespace");
    Checks.notNull(uid, "uid");
    labels = Checks.sortedCopy(labels, "labels");
    selector = Checks.sortedCopy(selector, "selector");
    references = Checks.listCopy(references, "references");
  }
}
