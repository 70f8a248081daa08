package dev.weft.pipelines;

/** A configuration problem found before the pipeline starts: the message says what to fix. */
public class InvalidConfiguration extends RuntimeException {
  public InvalidConfiguration(String message) {
    super(message);
  }

  public InvalidConfiguration(String message, Throwable cause) {
    super(message, cause);
  }
}
