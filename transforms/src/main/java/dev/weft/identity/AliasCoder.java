package dev.weft.identity;

import dev.weft.model.Wire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/** Binary, deterministic coder for {@link Alias} (held in keyed state and sent between stages). */
public final class AliasCoder extends CustomCoder<Alias> {
  private static final AliasCoder INSTANCE = new AliasCoder();

  public static AliasCoder of() {
    return INSTANCE;
  }

  private AliasCoder() {}

  @Override
  public void encode(Alias a, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    write(out, a);
    out.flush();
  }

  @Override
  public Alias decode(InputStream inStream) throws IOException {
    return read(new DataInputStream(inStream));
  }

  static void write(DataOutputStream out, Alias a) throws IOException {
    Wire.writeString(out, a.type());
    Wire.writeString(out, a.blockKey());
    Wire.writeString(out, a.entityId());
    Wire.writeInstant(out, a.from());
    Wire.writeInstant(out, a.last());
    out.writeBoolean(a.until().isPresent());
    if (a.until().isPresent()) {
      Wire.writeInstant(out, a.until().get());
    }
    Wire.writeString(out, a.taughtBy());
    VarInt.encode(a.values().size(), out);
    for (Map.Entry<String, List<String>> e : a.values().entrySet()) {
      Wire.writeString(out, e.getKey());
      Wire.writeStringList(out, e.getValue());
    }
  }

  static Alias read(DataInputStream in) throws IOException {
    String type = Wire.readString(in);
    String key = Wire.readString(in);
    String entity = Wire.readString(in);
    Instant from = Wire.readInstant(in);
    Instant last = Wire.readInstant(in);
    Optional<Instant> until = in.readBoolean() ? Optional.of(Wire.readInstant(in))
        : Optional.empty();
    String taughtBy = Wire.readString(in);
    int n = VarInt.decodeInt(in);
    SortedMap<String, List<String>> values = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String k = Wire.readString(in);
      values.put(k, Wire.readStringList(in));
    }
    return new Alias(type, key, entity, from, last, until, values, taughtBy);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
