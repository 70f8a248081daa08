package dev.weft.adapters;

import java.io.IOException;

/**
 * A column-mapping file that cannot be used, with the file, the place inside it (a path such as
 * {@code /time/zone}) and the problem, so the user can fix it without reading code.
 */
public final class InventoryMappingException extends IOException {
  private final String file;
  private final String place;
  private final String problem;

  public InventoryMappingException(String file, String place, String problem) {
    this(file, place, java.util.OptionalInt.empty(), problem);
  }

  /** As above, with the line of the place in the file when it is known. */
  public InventoryMappingException(String file, String place, java.util.OptionalInt line,
      String problem) {
    super("inventory mapping " + file + " at " + place
        + (line.isPresent() ? " (line " + line.getAsInt() + ")" : "") + ": " + problem);
    this.file = file;
    this.place = place;
    this.problem = problem;
  }

  public String file() {
    return file;
  }

  public String place() {
    return place;
  }

  public String problem() {
    return problem;
  }
}
