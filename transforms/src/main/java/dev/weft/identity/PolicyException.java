package dev.weft.identity;

/**
 * An identity policy that cannot be used. The run stops at start with this: the file, the place in
 * it (a path such as {@code types[2].rules[0].weight}, and the line when known) and the problem.
 */
public final class PolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String place;
  private final String problem;

  public PolicyException(String file, String place, String problem) {
    super(file + ": " + place + ": " + problem);
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
