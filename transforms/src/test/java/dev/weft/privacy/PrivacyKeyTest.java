package dev.weft.privacy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The key is read where it is used and travels nowhere in clear. */
public class PrivacyKeyTest {
  private static final String SECRET = "a-very-secret-privacy-key-0042";
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private Path keyFile(String content) throws Exception {
    Path f = tmp.newFile().toPath();
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  public void aKeyFilesTrailingLineBreakIsNotPartOfTheKey() throws Exception {
    byte[] key = PrivacyKey.fromFile(keyFile(SECRET + "\n").toString()).read();
    assertThat(new String(key, StandardCharsets.UTF_8), equalTo(SECRET));
  }

  @Test
  public void aShortKeyIsRefusedWithoutShowingIt() throws Exception {
    try {
      PrivacyKey.fromFile(keyFile("short-key").toString()).read();
      throw new AssertionError("a 9-byte key was accepted");
    } catch (IllegalStateException e) {
      assertThat(e.getMessage(), containsString("needs at least 16"));
      assertThat(e.getMessage(), not(containsString("short-key")));
    }
  }

  @Test
  public void aMissingEnvironmentVariableIsNamed() {
    try {
      PrivacyKey.fromEnvironment("WEFT_TEST_NO_SUCH_VARIABLE").read();
      throw new AssertionError("an unset variable gave a key");
    } catch (IllegalStateException e) {
      assertThat(e.getMessage(), containsString("WEFT_TEST_NO_SUCH_VARIABLE"));
    }
  }

  @Test
  public void theShippedDoFnsAndDisplayDataHoldThePathButNotTheKey() throws Exception {
    Path file = keyFile(SECRET);
    PrivacyPolicy policy = PrivacyFixtures.policy("  rules:\n    - {values: email, action: hash}\n");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of(PrivacyFixtures.attributes(Map.of("a", "b"))).withCoder(EventCoder.of()))
        .apply(ProtectPrivacy.events(policy, PrivacyKey.fromFile(file.toString())));
    // What travels: every DoFn, Java-serialized as the runner ships it (here uncompressed, so the
    // bytes can be searched), and every step's display data.
    StringBuilder shipped = new StringBuilder();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        shipped.append(DisplayData.from(node.getTransform()));
        if (node.getTransform() instanceof ParDo.MultiOutput<?, ?> parDo) {
          try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
              out.writeObject(parDo.getFn());
            }
            shipped.append(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    });
    assertThat(shipped.toString(), containsString(file.toString()));
    assertThat(shipped.toString(), not(containsString(SECRET)));
  }

  @Test(expected = IllegalArgumentException.class)
  public void aPolicyThatHashesNeedsAKey() {
    ProtectPrivacy.events(
        PrivacyFixtures.policy("  rules:\n    - {values: ip, action: hash}\n"), null);
  }
}
