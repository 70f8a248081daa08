package dev.weft.identity;

import dev.weft.identity.IdentityPolicy.Block;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The time rules of aliases under one blocking key, pure so that the in-memory store and the Beam
 * state-backed store behave identically.
 *
 * <p>For an exclusive block (an IP), the entries form a timeline: each entry owns the key from its
 * first sighting until the next entry's first sighting. A sighting extends the entry that owns its
 * time when that entry is the same entity, and otherwise starts a new entry: an IP reused by pod B
 * after pod A starts B's entry, so an event at a time when A owned the IP still resolves to A. For
 * a shared block (a service name, a person's birth date), every entity has one entry and all that
 * are valid at the event's time are candidates.
 *
 * <p>Two rules make validity independent of arrival and file times:
 *
 * <ul>
 *   <li><b>Look-back</b> ({@code look-back} of the block): an alias applies to events up to that
 *       long before its first sighting, when no other entity owned the key then. Telemetry often
 *       names an instance by a weak signal (a log line at 10:00:03) a little before the strong
 *       record that teaches the alias (the span at 10:00:05); on bounded input the whole timeline
 *       is known, so the log line binds to the instance instead of a provisional id.
 *   <li><b>Snapshots</b>: an alias taught by a record whose time is a fallback (an inventory row
 *       with no time column, whose "time" is the file's modification time) describes state valid
 *       for the whole run: it is valid from {@link Instant#MIN} to {@link Instant#MAX}.
 * </ul>
 */
final class AliasTimeline {
  private static final Comparator<Alias> ORDER = Comparator.comparing(Alias::from)
      .thenComparing(Alias::entityId);

  private AliasTimeline() {}

  /** The entries after learning {@code sighting}, sorted by first sighting then entity. */
  static List<Alias> learn(List<Alias> entries, Alias sighting, boolean exclusive) {
    List<Alias> out = new ArrayList<>(entries);
    out.sort(ORDER);
    if (!exclusive) {
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i).entityId().equals(sighting.entityId())) {
          out.set(i, out.get(i).merge(sighting));
          out.sort(ORDER);
          return out;
        }
      }
      out.add(sighting);
      out.sort(ORDER);
      return out;
    }
    int owner = ownerIndex(out, sighting.from());
    if (owner >= 0 && out.get(owner).entityId().equals(sighting.entityId())) {
      out.set(owner, out.get(owner).merge(sighting));
    } else if (owner + 1 < out.size()
        && out.get(owner + 1).entityId().equals(sighting.entityId())) {
      // The same entity owns the key a little later: this sighting moves its start earlier.
      out.set(owner + 1, out.get(owner + 1).merge(sighting));
    } else {
      out.add(sighting);
    }
    out.sort(ORDER);
    return out;
  }

  /** The entries that may match an event at {@code time}. */
  static List<Alias> validAt(List<Alias> entries, Instant time, Block block) {
    List<Alias> sorted = new ArrayList<>(entries);
    sorted.sort(ORDER);
    List<Alias> out = new ArrayList<>();
    if (block.exclusive()) {
      int owner = ownerIndex(sorted, time);
      if (owner >= 0 && valid(sorted.get(owner), time, block)) {
        out.add(sorted.get(owner));
      } else if (owner + 1 < sorted.size() && startsWithin(sorted.get(owner + 1), time, block)) {
        // Nobody owned the key at this time; the next owner's look-back reaches back to it.
        out.add(sorted.get(owner + 1));
      }
      return out;
    }
    for (Alias a : sorted) {
      if ((!a.from().isAfter(time) || startsWithin(a, time, block)) && valid(a, time, block)) {
        out.add(a);
      }
    }
    return out;
  }

  /** True when {@code time} is before {@code a}'s first sighting by at most the look-back. */
  private static boolean startsWithin(Alias a, Instant time, Block block) {
    return a.from().isAfter(time) && !block.lookBack().isZero()
        && !a.from().minus(block.lookBack()).isAfter(time);
  }

  private static boolean valid(Alias a, Instant time, Block block) {
    if (a.until().isPresent() && time.isAfter(a.until().get())) {
      return false;
    }
    return block.ttl().isEmpty() || !time.isAfter(expiry(a, block));
  }

  /** When a shared alias stops being valid: its last sighting plus the ttl (never overflows). */
  static Instant expiry(Alias a, Block block) {
    if (block.ttl().isEmpty() || a.last().equals(Instant.MAX)) {
      return Instant.MAX;
    }
    Instant limit = Instant.MAX.minus(block.ttl().get());
    return a.last().isAfter(limit) ? Instant.MAX : a.last().plus(block.ttl().get());
  }

  /** Index of the last entry whose first sighting is at or before {@code time}, or -1. */
  private static int ownerIndex(List<Alias> sorted, Instant time) {
    int owner = -1;
    for (int i = 0; i < sorted.size(); i++) {
      if (!sorted.get(i).from().isAfter(time)) {
        owner = i;
      }
    }
    return owner;
  }
}
