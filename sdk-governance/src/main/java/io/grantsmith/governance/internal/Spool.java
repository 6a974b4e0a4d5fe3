package io.grantsmith.governance.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A directory of events waiting for delivery, one file each, named so that names sort in the order
 * the events were added: {@code <epoch millis>-<sequence>-<event id>.json}. A file appears whole
 * (written to a temporary name, forced to the device, then renamed atomically) and is removed once
 * delivered. Several processes may share a directory: one delivers at a time, holding the lock on
 * {@code .lock}.
 */
public final class Spool {
  private static final String SUFFIX = ".json";
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final Path dir;

  /**
   * Opens (creating) a spool directory.
   *
   * @param dir the directory
   * @throws IOException if it cannot be created
   */
  public Spool(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  /**
   * The directory.
   *
   * @return the directory
   */
  public Path dir() {
    return dir;
  }

  /**
   * Adds an event durably.
   *
   * @param id the event's id
   * @param body its bytes
   * @return the spooled file
   * @throws IOException if it cannot be written
   */
  public Path add(String id, byte[] body) throws IOException {
    Path tmp = dir.resolve(".tmp-" + id + "-" + SEQUENCE.incrementAndGet());
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(body);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    String name =
        String.format(
            "%013d-%012d-%s%s", System.currentTimeMillis(), SEQUENCE.incrementAndGet(), id, SUFFIX);
    Path target = dir.resolve(name);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory();
    return target;
  }

  /**
   * The events waiting, oldest first.
   *
   * @return the files
   * @throws IOException if the directory cannot be listed
   */
  public List<Path> pending() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(SUFFIX))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /**
   * The event id in a spooled file's name.
   *
   * @param file a file from {@link #pending()}
   * @return the id
   */
  public static String id(Path file) {
    String name = file.getFileName().toString();
    String stem = name.substring(0, name.length() - SUFFIX.length());
    return stem.substring(stem.indexOf('-', stem.indexOf('-') + 1) + 1);
  }

  /**
   * Reads a spooled event.
   *
   * @param file the file
   * @return its bytes, or empty if another process removed it meanwhile
   * @throws IOException if it cannot be read
   */
  public Optional<byte[]> read(Path file) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Removes a delivered event.
   *
   * @param file the file
   * @throws IOException if it cannot be removed
   */
  public void remove(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  /**
   * Takes the delivery lock if no other process or sink holds it.
   *
   * @return the lock to release, or empty if it is held elsewhere
   * @throws IOException if the lock file cannot be opened
   */
  public Optional<Lock> tryLock() throws IOException {
    FileChannel ch =
        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = ch.tryLock();
      if (lock != null) {
        return Optional.of(new Lock(ch));
      }
    } catch (OverlappingFileLockException e) {
      // Another sink of this process holds it.
    }
    ch.close();
    return Optional.empty();
  }

  /** The delivery lock; closing releases it. */
  public static final class Lock implements AutoCloseable {
    private final FileChannel channel;

    private Lock(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private void forceDirectory() {
    // Makes the rename durable where the platform allows opening a directory (Linux, macOS).
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported here (Windows): the rename is as durable as the file system makes it.
    }
  }
}
