package dev.weft.config;

/**
 * A problem at a place in a configuration file, the place as a JSON pointer ({@code
 * /patterns/2/fields/level}); the loader that catches it turns the pointer into a line.
 */
public final class ConfigProblem extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String pointer;

  public ConfigProblem(String pointer, String problem) {
    super(problem);
    this.pointer = pointer;
  }

  public String pointer() {
    return pointer;
  }
}
