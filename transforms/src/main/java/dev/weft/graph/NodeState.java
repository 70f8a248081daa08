package dev.weft.graph;

import dev.weft.model.Wire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * The state of one entity within one window, as a commutative, associative merge: counts add,
 * first/last seen take min/max, attributes are last-writer-wins by {@link WriteStamp}. Merging the
 * same contributions in any order gives the same state, which is what makes the node independent
 * of arrival order.
 *
 * <p>Two kinds of attributes: signals seen on any event about the entity (last writer per key), and
 * the configuration state (the whole attribute set of the latest write wins, so a label removed by
 * a later write is gone; a write that deletes the entity ends its validity).
 */
final class NodeState implements MergeStates.Mergeable<NodeState> {
  String id;
  String type;
  long events;
  long firstSeen = Long.MAX_VALUE;
  long lastSeen = Long.MIN_VALUE;
  final TreeMap<String, StampedValue> signalAttributes = new TreeMap<>();
  WriteStamp configStamp;
  boolean configDeleted;
  TreeMap<String, String> configAttributes = new TreeMap<>();
  final TreeMap<String, Long> logsBySeverity = new TreeMap<>();

  record StampedValue(String value, WriteStamp stamp) {}

  static NodeState mention(String id) {
    NodeState s = new NodeState();
    s.id = id;
    s.type = EntityIds.type(id);
    return s;
  }

  void seenAt(long t) {
    firstSeen = Math.min(firstSeen, t);
    lastSeen = Math.max(lastSeen, t);
  }

  void signal(String key, String value, WriteStamp stamp) {
    StampedValue old = signalAttributes.get(key);
    if (old == null || stamp.newerThan(old.stamp())) {
      signalAttributes.put(key, new StampedValue(value, stamp));
    }
  }

  void configWrite(WriteStamp stamp, boolean deleted, SortedMap<String, String> attributes) {
    if (stamp.newerThan(configStamp)) {
      configStamp = stamp;
      configDeleted = deleted;
      configAttributes = new TreeMap<>(attributes);
    }
  }

  @Override
  public NodeState merge(NodeState o) {
    if (id == null) {
      id = o.id;
      type = o.type;
    }
    events += o.events;
    firstSeen = Math.min(firstSeen, o.firstSeen);
    lastSeen = Math.max(lastSeen, o.lastSeen);
    o.signalAttributes.forEach((k, v) -> signal(k, v.value(), v.stamp()));
    if (o.configStamp != null) {
      configWrite(o.configStamp, o.configDeleted, o.configAttributes);
    }
    o.logsBySeverity.forEach((k, v) -> logsBySeverity.merge(k, v, Long::sum));
    return this;
  }

  /** Signals overlaid by the configuration state: the object's own word wins. */
  SortedMap<String, String> attributes() {
    SortedMap<String, String> out = new TreeMap<>();
    signalAttributes.forEach((k, v) -> out.put(k, v.value()));
    out.putAll(configAttributes);
    return out;
  }

  /** Binary coder; maps in key order. */
  static final class Coder extends CustomCoder<NodeState> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(NodeState s, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeBoolean(s.id != null);
      if (s.id != null) {
        Wire.writeString(out, s.id);
        Wire.writeString(out, s.type);
      }
      out.writeLong(s.events);
      out.writeLong(s.firstSeen);
      out.writeLong(s.lastSeen);
      VarInt.encode(s.signalAttributes.size(), out);
      for (Map.Entry<String, StampedValue> e : s.signalAttributes.entrySet()) {
        Wire.writeString(out, e.getKey());
        Wire.writeString(out, e.getValue().value());
        e.getValue().stamp().write(out);
      }
      out.writeBoolean(s.configStamp != null);
      if (s.configStamp != null) {
        s.configStamp.write(out);
        out.writeBoolean(s.configDeleted);
        Wire.writeMap(out, s.configAttributes);
      }
      VarInt.encode(s.logsBySeverity.size(), out);
      for (Map.Entry<String, Long> e : s.logsBySeverity.entrySet()) {
        Wire.writeString(out, e.getKey());
        out.writeLong(e.getValue());
      }
      out.flush();
    }

    @Override
    public NodeState decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      NodeState s = new NodeState();
      if (in.readBoolean()) {
        s.id = Wire.readString(in);
        s.type = Wire.readString(in);
      }
      s.events = in.readLong();
      s.firstSeen = in.readLong();
      s.lastSeen = in.readLong();
      int n = VarInt.decodeInt(in);
      for (int i = 0; i < n; i++) {
        String k = Wire.readString(in);
        String v = Wire.readString(in);
        s.signalAttributes.put(k, new StampedValue(v, WriteStamp.read(in)));
      }
      if (in.readBoolean()) {
        s.configStamp = WriteStamp.read(in);
        s.configDeleted = in.readBoolean();
        s.configAttributes = new TreeMap<>(Wire.readMap(in));
      }
      int m = VarInt.decodeInt(in);
      for (int i = 0; i < m; i++) {
        String k = Wire.readString(in);
        s.logsBySeverity.put(k, in.readLong());
      }
      return s;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
