package dev.weft.model;

import java.util.Optional;

/**
 * A reference from a configuration or inventory object to another object, as the source states it:
 * an ownerReference ({@code part-of}), a node name ({@code runs-on}), a service account ({@code
 * uses}). The graph turns references into structural edges.
 */
public record Reference(
    String relation,
    String targetKind,
    String targetName,
    Optional<String> targetNamespace,
    Optional<String> targetUid) {

  public Reference {
    Checks.nonEmpty(relation, "relation");
    Checks.nonEmpty(targetKind, "targetKind");
    Checks.nonEmpty(targetName, "targetName");
    Checks.notNull(targetNamespace, "targetNamespace");
    Checks.notNull(targetUid, "targetUid");
  }
}
