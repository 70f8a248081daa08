package dev.weft.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Binary, deterministic coder for {@link Event}: fields in declaration order, maps in key order,
 * optionals with a presence byte, a leading format version. No Java serialization on the data path.
 */
public final class EventCoder extends CustomCoder<Event> {
  private static final int VERSION = 1;
  private static final EventCoder INSTANCE = new EventCoder();

  public static EventCoder of() {
    return INSTANCE;
  }

  private EventCoder() {}

  /** Lets {@code @DefaultCoder} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(Event.class), INSTANCE);
  }

  @Override
  public void encode(Event e, OutputStream outStream) throws IOException {
    if (e == null) {
      throw new CoderException("cannot encode a null Event");
    }
    DataOutputStream out = new DataOutputStream(outStream);
    out.writeByte(VERSION);
    Wire.writeString(out, e.eventId());
    Wire.writeEnum(out, e.idKind());
    OriginCoder.write(out, e.origin());
    Wire.writeEnum(out, e.kind());
    Wire.writeOptString(out, e.rawKind());
    Wire.writeInstant(out, e.eventTime());
    Wire.writeEnum(out, e.timeQuality());
    Wire.writeInstant(out, e.observedTime());
    Wire.writeMap(out, e.signals());
    Wire.writeMap(out, e.attributes());
    out.writeBoolean(e.span().isPresent());
    if (e.span().isPresent()) {
      writeSpan(out, e.span().get());
    }
    out.writeBoolean(e.log().isPresent());
    if (e.log().isPresent()) {
      writeLog(out, e.log().get());
    }
    out.writeBoolean(e.config().isPresent());
    if (e.config().isPresent()) {
      writeConfig(out, e.config().get());
    }
    out.flush();
  }

  @Override
  public Event decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    int version = in.readUnsignedByte();
    if (version != VERSION) {
      throw new CoderException("unknown Event encoding version " + version);
    }
    return new Event(
        Wire.readString(in),
        Wire.readEnum(in, IdKind.class),
        OriginCoder.read(in),
        Wire.readEnum(in, EventKind.class),
        Wire.readOptString(in),
        Wire.readInstant(in),
        Wire.readEnum(in, TimeQuality.class),
        Wire.readInstant(in),
        Wire.readMap(in),
        Wire.readMap(in),
        in.readBoolean() ? Optional.of(readSpan(in)) : Optional.empty(),
        in.readBoolean() ? Optional.of(readLog(in)) : Optional.empty(),
        in.readBoolean() ? Optional.of(readConfig(in)) : Optional.empty());
  }

  @Override
  public void verifyDeterministic() {
    // Deterministic by construction: see the class comment.
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }

  private static void writeSpan(DataOutputStream out, SpanPart s) throws IOException {
    Wire.writeString(out, s.traceId());
    Wire.writeString(out, s.spanId());
    Wire.writeOptString(out, s.parentSpanId());
    Wire.writeOptString(out, s.name());
    Wire.writeEnum(out, s.kind());
    Wire.writeOptString(out, s.rawKind());
    Wire.writeOptLong(out, s.durationMicros());
    Wire.writeEnum(out, s.status());
    Wire.writeOptString(out, s.rawStatus());
    Wire.writeOptString(out, s.statusMessage());
    out.writeBoolean(s.shared());
    Wire.writeEnum(out, s.model());
  }

  private static SpanPart readSpan(DataInputStream in) throws IOException {
    return new SpanPart(Wire.readString(in), Wire.readString(in), Wire.readOptString(in),
        Wire.readOptString(in), Wire.readEnum(in, SpanKind.class), Wire.readOptString(in),
        Wire.readOptLong(in), Wire.readEnum(in, StatusCode.class), Wire.readOptString(in),
        Wire.readOptString(in), in.readBoolean(), Wire.readEnum(in, SpanModel.class));
  }

  private static void writeLog(DataOutputStream out, LogPart l) throws IOException {
    Wire.writeEnum(out, l.severity());
    Wire.writeOptInt(out, l.severityNumber());
    Wire.writeOptString(out, l.severityText());
    Wire.writeOptString(out, l.body());
    Wire.writeOptString(out, l.traceId());
    Wire.writeOptString(out, l.spanId());
  }

  private static LogPart readLog(DataInputStream in) throws IOException {
    return new LogPart(Wire.readEnum(in, Severity.class), Wire.readOptInt(in),
        Wire.readOptString(in), Wire.readOptString(in), Wire.readOptString(in),
        Wire.readOptString(in));
  }

  private static void writeConfig(DataOutputStream out, ConfigPart c) throws IOException {
    Wire.writeString(out, c.objectKind());
    Wire.writeOptString(out, c.apiVersion());
    Wire.writeEnum(out, c.operation());
    Wire.writeOptString(out, c.rawOperation());
    Wire.writeOptString(out, c.version());
    Wire.writeString(out, c.name());
    Wire.writeOptString(out, c.namespace());
    Wire.writeOptString(out, c.uid());
    Wire.writeMap(out, c.labels());
    Wire.writeMap(out, c.selector());
    out.writeInt(c.references().size());
    for (Reference r : c.references()) {
      Wire.writeString(out, r.relation());
      Wire.writeString(out, r.targetKind());
      Wire.writeString(out, r.targetName());
      Wire.writeOptString(out, r.targetNamespace());
      Wire.writeOptString(out, r.targetUid());
    }
  }

  private static ConfigPart readConfig(DataInputStream in) throws IOException {
    String objectKind = Wire.readString(in);
    Optional<String> apiVersion = Wire.readOptString(in);
    ConfigOperation op = Wire.readEnum(in, ConfigOperation.class);
    Optional<String> rawOp = Wire.readOptString(in);
    Optional<String> version = Wire.readOptString(in);
    String name = Wire.readString(in);
    Optional<String> namespace = Wire.readOptString(in);
    Optional<String> uid = Wire.readOptString(in);
    var labels = Wire.readMap(in);
    var selector = Wire.readMap(in);
    int n = in.readInt();
    List<Reference> refs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      refs.add(new Reference(Wire.readString(in), Wire.readString(in), Wire.readString(in),
          Wire.readOptString(in), Wire.readOptString(in)));
    }
    return new ConfigPart(objectKind, apiVersion, op, rawOp, version, name, namespace, uid, labels,
        selector, refs);
  }
}
