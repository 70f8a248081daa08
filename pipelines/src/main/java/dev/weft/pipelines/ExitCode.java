package dev.weft.pipelines;

/**
 * What the weft command's exit status means, for every subcommand. The README's table of exit
 * codes is checked against this list by {@code ReadmeExamplesTest}, so the two cannot drift.
 */
public enum ExitCode {
  OK(0, "done: the run finished and its arithmetic holds (explain: the entity was explained)"),
  CONFIGURATION(1, "a configuration or usage problem, found before any record is read; the "
      + "message names the option, file or place"),
  NOT_CONSERVED(2, "the run's arithmetic did not hold: read == normalized + deadLettered + "
      + "filtered, normalized == unique + duplicates, or a written-file count"),
  SOURCE_ALL_DEAD_LETTERED(3, "every record of a source was dead-lettered (the first reasons "
      + "are printed); --allowAllDeadLettered accepts such a run"),
  NOT_FOUND(4, "explain: no binding names the entity (ids of the run are in bindings-*.jsonl)");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}
