package io.grantsmith.postgres.azure;

import java.util.List;
import java.util.Map;
import org.immutables.value.Value;

/**
 * What one {@link AccessManager#sweep()} did: the managed users it revoked because their lease
 * expired, the users it dropped because their cleanup time passed, the users it could not handle
 * (with the reason, no secret in it), or that it skipped the whole sweep because another replica
 * held the sweep lock.
 */
@Value.Immutable
public abstract class SweepResult {
  SweepResult() {}

  /** Builds a {@link SweepResult}. */
  public interface Builder {
    /**
     * Adds a revoked user.
     *
     * @param role the role's name
     * @return this builder
     */
    Builder addRevoked(String role);

    /**
     * Adds a dropped user.
     *
     * @param role the role's name
     * @return this builder
     */
    Builder addDropped(String role);

    /**
     * Records a user that could not be handled.
     *
     * @param role the role's name
     * @param reason why
     * @return this builder
     */
    Builder putFailed(String role, String reason);

    /**
     * Records what a user still holds that the connector cannot remove.
     *
     * @param role the role's name
     * @param leftovers what is left, with the statements that remove it
     * @return this builder
     */
    Builder putLeftover(String role, List<Leftover> leftovers);

    /**
     * Sets whether the sweep was skipped.
     *
     * @param skipped true if another sweep held the lock
     * @return this builder
     */
    Builder skipped(boolean skipped);

    /**
     * Adds a bundle role the sweep dropped.
     *
     * @param role the bundle
     * @return this builder
     */
    Builder addDroppedBundle(String role);

    /**
     * Builds.
     *
     * @return the result
     */
    SweepResult build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableSweepResult.builder();
  }

  /**
   * Users whose expired lease was revoked.
   *
   * @return role names
   */
  public abstract List<String> revoked();

  /**
   * Users dropped after their cleanup time.
   *
   * @return role names
   */
  public abstract List<String> dropped();

  /**
   * Users that could not be revoked or dropped, with the reason.
   *
   * @return role name to reason
   */
  public abstract Map<String, String> failed();

  /**
   * For each user in {@link #failed()} because it holds something the connector cannot remove
   * ({@link LeftoverAccessException}), what is left and the statement each grantor must run.
   *
   * @return role name to leftovers
   */
  public abstract Map<String, List<Leftover>> leftovers();

  /**
   * The shared bundle roles dropped because they had no members for the cleanup period.
   *
   * @return their names
   */
  public abstract List<String> droppedBundles();

  /**
   * Whether nothing was done because another sweep held the lock.
   *
   * @return false unless skipped
   */
  @Value.Default
  public boolean skipped() {
    return false;
  }
}
