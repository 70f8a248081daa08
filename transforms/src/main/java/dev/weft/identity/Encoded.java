package dev.weft.identity;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * Messages carried through a bounded run's large groupings as their encoded bytes. The Direct
 * runner clones a group's whole buffer, element by element through the element coder, for every
 * bundle that adds to the group; a group of thousands of structured messages made that clone the
 * bulk of a run (quadratic in the group's size), while a byte array clones at memory speed. Other
 * runners pay one extra decoding per message.
 */
final class Encoded {
  private Encoded() {}

  static <T> byte[] bytes(Coder<T> coder, T value) {
    try {
      return CoderUtils.encodeToByteArray(coder, value);
    } catch (CoderException e) {
      throw new IllegalStateException("an identity message always encodes", e);
    }
  }

  static <T> T value(Coder<T> coder, byte[] bytes) {
    try {
      return CoderUtils.decodeFromByteArray(coder, bytes);
    } catch (CoderException e) {
      throw new IllegalStateException("bytes this run encoded always decode", e);
    }
  }
}
