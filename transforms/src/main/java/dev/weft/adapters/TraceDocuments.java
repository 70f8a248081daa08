package dev.weft.adapters;

import dev.weft.model.RawRecord;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.model.FailureKind;
import dev.weft.model.Origin;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Cuts one raw record of a JSON trace format into its JSON documents and hands each to the
 * adapter. Shared by the OTLP, Zipkin and Jaeger adapters.
 *
 * <p>Why not {@link JsonInput#parseJson}: that decodes the whole payload to a String first to check
 * UTF-8, which doubles the memory and time of a large trace export. Here pure-ASCII input (the
 * usual case) is checked with one byte loop, and only input with non-ASCII bytes goes through a
 * strict decoder, into a small reused buffer.
 *
 * <p>Why several documents: a file of concatenated or newline-delimited documents read with
 * DOCUMENT framing would otherwise be cut after its first value by Jackson, silently. Each value is
 * handed over in turn; when there is more than one, each gets the line it starts on as its origin.
 */
final class TraceDocuments {
  private TraceDocuments() {}

  /** Receives one parsed JSON document of the record. */
  interface Handler {
    void document(JsonNode root, Origin origin, AdapterResult result);
  }

  /**
   * Parses {@code raw} and calls {@code handler} for each JSON value in it. Never throws: every
   * problem ends as a {@link ParseFailure} in the result. {@code what} names the expected document
   * for reasons ("a Zipkin v2 span array").
   */
  static AdapterResult parse(RawRecord raw, String what, Handler handler) {
    AdapterResult result = new AdapterResult();
    Origin origin = raw.origin();
    byte[] bytes = raw.payload();
    if (raw.isOversize()) {
      return result.fail(ParseFailure.of(FailureKind.TOO_LARGE, "the record is " + raw.totalSize()
          + " bytes, over the reader's maximum record size (only the first " + bytes.length
          + " bytes were kept), so it was not parsed as " + what, origin));
    }
    if (JsonInput.isBlank(bytes)) {
      return result.fail(ParseFailure.of(FailureKind.EMPTY_INPUT,
          "the input is empty; expected " + what, origin));
    }
    int bad = firstInvalidUtf8(bytes);
    if (bad >= 0) {
      return result.fail(ParseFailure.of(FailureKind.INVALID_ENCODING,
          "the input is not valid UTF-8: bad byte 0x" + String.format("%02x", bytes[bad] & 0xff)
              + " at offset " + bad, origin));
    }
    long documents = 0;
    JsonNode pending = null;
    long pendingLine = 0;
    ParseFailure broken = null;
    try (JsonParser parser = JsonInput.JSON.getFactory().createParser(bytes)) {
      while (parser.nextToken() != null) {
        long line = parser.currentTokenLocation().getLineNr();
        JsonNode root = JsonInput.JSON.readTree(parser);
        documents++;
        if (pending != null) {
          deliver(pending, origin.atLine(lineIn(origin, pendingLine)), result, handler);
        }
        pending = root;
        pendingLine = line;
      }
    } catch (StreamConstraintsException e) {
      broken = ParseFailure.of(FailureKind.TOO_LARGE, "the JSON exceeds a parser limit: "
          + e.getOriginalMessage() + after(documents), origin);
    } catch (JsonParseException e) {
      broken = ParseFailure.of(FailureKind.MALFORMED_SYNTAX, "not well-formed JSON ("
          + what + "): " + e.getOriginalMessage() + locationOf(e.getLocation())
          + after(documents), origin);
    } catch (IOException e) {
      broken = ParseFailure.of(FailureKind.MALFORMED_SYNTAX, "not well-formed JSON ("
          + what + "): " + firstLine(String.valueOf(e.getMessage())) + after(documents), origin);
    }
    if (pending != null) {
      // The last complete document; it keeps the whole record's origin only when it is alone.
      deliver(pending, documents == 1 && broken == null ? origin
          : origin.atLine(lineIn(origin, pendingLine)), result, handler);
    }
    if (broken != null) {
      result.fail(broken);
    }
    return result;
  }

  private static void deliver(JsonNode root, Origin origin, AdapterResult result,
      Handler handler) {
    try {
      handler.document(root, origin, result);
    } catch (RuntimeException e) {
      // A bug in Weft must not take the other documents of the record with it.
      result.fail(ParseFailure.of(FailureKind.ADAPTER_BUG, "the adapter failed on this document: "
          + e, origin));
    }
  }

  private static long lineIn(Origin origin, long lineInRecord) {
    return origin.line().map(l -> l + lineInRecord - 1).orElse(lineInRecord);
  }

  private static String after(long documents) {
    return documents == 0 ? "" : " (after " + documents + " complete JSON document"
        + (documents == 1 ? "" : "s") + ", which were kept)";
  }

  private static String locationOf(JsonLocation loc) {
    return loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Offset of the first byte that is not valid UTF-8, or -1. */
  static int firstInvalidUtf8(byte[] bytes) {
    int i = 0;
    while (i < bytes.length && bytes[i] >= 0) {
      i++;
    }
    if (i == bytes.length) {
      return -1;
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, i, bytes.length - i);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isError()) {
        return in.position();
      }
      if (r.isOverflow()) {
        out.clear();
        continue;
      }
      return -1;
    }
  }
}
