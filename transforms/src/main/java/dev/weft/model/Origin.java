package dev.weft.model;

import java.util.Optional;

/**
 * Where a record came from, precise enough to find the bytes again: a file with its line (or byte
 * offset when the file was read in parallel splits), or a topic with partition and offset. {@code
 * pointer} locates a record inside a document (a JSON pointer such as {@code
 * /resourceSpans/0/scopeSpans/0/spans/2}).
 */
public record Origin(
    String format,
    String resource,
    Optional<Long> line,
    Optional<Long> byteOffset,
    Optional<Integer> partition,
    Optional<Long> offset,
    Optional<String> pointer) {

  public Origin {
    Checks.notNull(format, "format");
    Checks.notNull(resource, "resource");
    Checks.notNull(line, "line");
    Checks.notNull(byteOffset, "byteOffset");
    Checks.notNull(partition, "partition");
    Checks.notNull(offset, "offset");
    Checks.notNull(pointer, "pointer");
  }

  /** A whole file read as one document. */
  public static Origin file(String format, String path) {
    return new Origin(format, path, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
  }

  /** One line of a file; {@code line} is empty when the reader started mid-file. */
  public static Origin fileLine(String format, String path, Optional<Long> line, long byteOffset) {
    return new Origin(format, path, line, Optional.of(byteOffset), Optional.empty(),
        Optional.empty(), Optional.empty());
  }

  /** One message of a topic (Kafka) or subscription (Pub/Sub, with no partition). */
  public static Origin message(String format, String topic, Optional<Integer> partition,
      Optional<Long> offset) {
    return new Origin(format, topic, Optional.empty(), Optional.empty(), partition, offset,
        Optional.empty());
  }

  /** The same origin, pointing inside the document at {@code jsonPointer}. */
  public Origin at(String jsonPointer) {
    return new Origin(format, resource, line, byteOffset, partition, offset,
        Optional.of(jsonPointer));
  }

  /** A line of a multi-record document (a syslog stream, a CSV export). */
  public Origin atLine(long lineNumber) {
    return new Origin(format, resource, Optional.of(lineNumber), byteOffset, partition, offset,
        pointer);
  }

  /** For people: {@code file.json:12}, {@code topic[3]@42}, plus the pointer when there is one. */
  public String describe() {
    StringBuilder s = new StringBuilder(resource);
    partition.ifPresent(p -> s.append('[').append(p).append(']'));
    offset.ifPresent(o -> s.append('@').append(o));
    line.ifPresent(l -> s.append(':').append(l));
    if (line.isEmpty()) {
      byteOffset.ifPresent(b -> s.append(":byte ").append(b));
    }
    pointer.ifPresent(p -> s.append('#').append(p));
    return s.toString();
  }
}
