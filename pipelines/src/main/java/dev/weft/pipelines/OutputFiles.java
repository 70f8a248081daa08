package dev.weft.pipelines;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/** Reading and writing the files of an output directory through Beam's file systems. */
public final class OutputFiles {
  private OutputFiles() {}

  /** The directory with a trailing separator, so {@code dir + "events"} is a file prefix. */
  public static String dir(String output) {
    return output.endsWith("/") ? output : output + "/";
  }

  /** Files matching a glob; an empty list when none. */
  public static List<ResourceId> match(String glob) throws IOException {
    MatchResult r = FileSystems.match(glob);
    List<ResourceId> ids = new ArrayList<>();
    if (r.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata m : r.metadata()) {
        ids.add(m.resourceId());
      }
    }
    ids.sort((a, b) -> a.toString().compareTo(b.toString()));
    return ids;
  }

  /** Counts the non-empty lines of every file matching the glob. */
  public static long countLines(String glob) throws IOException {
    long n = 0;
    for (ResourceId id : match(glob)) {
      try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
        byte[] buf = new byte[1 << 16];
        int r;
        boolean lineHasContent = false;
        while ((r = in.read(buf)) > 0) {
          for (int i = 0; i < r; i++) {
            if (buf[i] == '\n') {
              if (lineHasContent) {
                n++;
              }
              lineHasContent = false;
            } else {
              lineHasContent = true;
            }
          }
        }
        if (lineHasContent) {
          n++;
        }
      }
    }
    return n;
  }

  public static void writeString(String path, String content) throws IOException {
    ResourceId id = FileSystems.matchNewResource(path, false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(id, MimeTypes.TEXT))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  public static String readString(ResourceId id) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
