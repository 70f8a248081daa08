package dev.weft.overload;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.weft.model.Event;
import dev.weft.testing.TreeRenderings;
import dev.weft.testing.VariedRecords;
import org.junit.Test;

/**
 * A shed record renders, through the streaming generator, to exactly the bytes of an independent
 * rendering through Jackson's tree model ({@link TreeRenderings}), over thousands of generated
 * hostile events, windows and budgets.
 */
public class ShedRecordTest {
  @Test
  public void shedRecordsRenderTheTreeBytes() {
    VariedRecords gen = new VariedRecords(12);
    for (int i = 0; i < 10_000; i++) {
      Event e = gen.event();
      String emitter = gen.text(8);
      long windowStart = gen.windowStart();
      long budget = gen.budget();
      assertThat("shed record " + i, ShedRecord.of(e, emitter, windowStart, budget),
          equalTo(TreeRenderings.shed(e, emitter, windowStart, budget)));
    }
  }
}
