package io.grantsmith.governance;

import io.grantsmith.api.AuditEvent;
import io.grantsmith.api.AuditException;
import io.grantsmith.api.AuditSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Appends each {@link AuditEvent} to a file as one line of {@link AuditJson} (JSON Lines). Every
 * event is appended with one write to a file opened in append mode, then forced to the storage
 * device before {@link #publish} returns, so a line is either whole in the file or absent, and
 * several processes may append to the same file. The file and its lines are never rewritten; rotate
 * it by renaming (the next event creates a new file).
 *
 * <pre>{@code
 * AuditSink sink = new JsonLinesAuditSink(Path.of("/var/log/grantsmith/audit.jsonl"));
 * }</pre>
 */
public final class JsonLinesAuditSink implements AuditSink {
  private final Path file;

  /**
   * Appends to {@code file}, creating it (not its directory) when missing.
   *
   * @param file the file
   */
  public JsonLinesAuditSink(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /**
   * The file events are appended to.
   *
   * @return the file
   */
  public Path file() {
    return file;
  }

  /**
   * Appends the event and forces it to the device.
   *
   * @param event the event
   * @throws AuditException if the file cannot be written
   */
  @Override
  public void publish(AuditEvent event) {
    ByteBuffer line =
        ByteBuffer.wrap((AuditJson.write(event) + "\n").getBytes(StandardCharsets.UTF_8));
    synchronized (this) {
      try (FileChannel ch =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        while (line.hasRemaining()) {
          ch.write(line);
        }
        ch.force(false);
      } catch (IOException e) {
        throw new AuditException(
            "audit event " + event.id() + " could not be appended to " + file + ": " + e, e);
      }
    }
  }
}
