package io.grantsmith.testkit;

import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.testkit.internal.AzureEntraDirectory;
import java.util.Optional;

/**
 * What a Microsoft Entra test needs from "the directory", on the emulation and on a real Azure
 * server alike: Entra administrators, principals (role name, object id, type), their roles on the
 * server, tokens to log in with, and the server's role-to-object-id mapping.
 *
 * <p>{@link #of(AzurePostgres, EntraTokenSource)} chooses the implementation from the server: on
 * embedded and Docker servers the {@linkplain EntraEmulation emulation}, which makes principals
 * with the names a test asks for, fresh object ids and opaque tokens; on {@linkplain
 * AzurePostgres#external() an external server} principals that exist in a real tenant, configured
 * by the {@code GRANTSMITH_ENTRA_*} environment variables (see the README), with Azure's own {@code
 * pgaadauth_*} functions and real tokens from the {@link EntraTokenSource}.
 *
 * <pre>{@code
 * EntraDirectory entra = EntraDirectory.of(server, tokens);
 * EntraPrincipal connector = entra.administrator("grantsmith-mi");
 * EntraPrincipal alice = entra.principal(EntraPrincipal.Type.USER, "alice@contoso.com");
 * try (Connection c = server.connect(db, alice.roleName(), entra.token(alice))) { ... }
 * }</pre>
 */
public interface EntraDirectory {

  /**
   * The server this directory serves.
   *
   * @return the server
   */
  AzurePostgres server();

  /**
   * Whether Entra is emulated. Only the emulation refuses a token once a newer one was issued for
   * the same principal, and only there do the names a test asks for become the principals' names.
   *
   * @return true on the emulation, false on a real Azure server
   */
  boolean emulated();

  /**
   * An Entra administrator of the server: on the emulation a new one named {@code roleName} (a
   * service principal with a fresh object id), as an Azure administrator adds one in the portal; on
   * Azure the configured connector, after checking that the server lists it ({@code
   * pgaadauth_list_principals(true)}) with its object id.
   *
   * @param roleName the name for a new administrator (the emulation only)
   * @return the administrator
   * @throws IllegalStateException if it cannot be made, or on Azure is not an administrator
   */
  EntraPrincipal administrator(String roleName);

  /**
   * A principal of the directory whose role a test may create: on the emulation a new one named
   * {@code roleName} with a fresh object id (its role does not exist yet); on Azure the configured
   * principal of that type, whatever the name.
   *
   * @param type user, group or service
   * @param roleName the name for a new principal (the emulation only)
   * @return the principal
   * @throws IllegalArgumentException if the name is not a valid Entra role name
   */
  EntraPrincipal principal(EntraPrincipal.Type type, String roleName);

  /**
   * Makes sure the principal has its role on the server, mapped to its object id and type, as an
   * Entra administrator does with {@code pgaadauth_create_principal_with_oid(roleName, objectId,
   * type, false, false)}: on the emulation as the superuser, on Azure as the configured connector.
   * A role that exists and is mapped to this principal is left as it is.
   *
   * @param principal the principal
   * @throws IllegalStateException if the server refuses, or the role exists with another mapping
   */
  void ensureRole(EntraPrincipal principal);

  /**
   * Drops the principal's role, if it exists (so that a test against a real tenant can create it
   * again next time): on the emulation as the superuser, on Azure as the configured connector.
   *
   * @param principal the principal
   * @throws IllegalStateException if the server refuses
   */
  void dropRole(EntraPrincipal principal);

  /**
   * A token the server accepts as the principal's password from now on; for a group, a token a
   * member logs in with under the group's name. On the emulation a new opaque token each call, and
   * the server then refuses the one issued before (as Azure refuses an expired token); on Azure a
   * real token, and earlier ones stay valid until they expire.
   *
   * @param principal the principal
   * @return the token; never to be logged
   * @throws IllegalStateException if no token can be obtained
   */
  String token(EntraPrincipal principal);

  /**
   * What the server maps a role to ({@code pgaadauth_list_principals(false)}): its type and object
   * id ({@link EntraPrincipal#mfa()} is not read and is false).
   *
   * @param roleName the role
   * @return the principal the role is mapped to, or empty if the server maps it to none
   * @throws IllegalStateException if the mapping cannot be read
   */
  Optional<EntraPrincipal> mapping(String roleName);

  /**
   * The directory for a server: the {@linkplain EntraEmulation#install(AzurePostgres) emulation},
   * installed if need be, on an embedded or Docker server; on an external server the real tenant
   * configured by the {@code GRANTSMITH_ENTRA_*} environment variables, with tokens from {@code
   * tokens}. Nothing is contacted before the first call that needs the server or a token.
   *
   * @param server the server
   * @param tokens where service principals' tokens come from on Azure (unused on the emulation)
   * @return the directory
   * @throws IllegalStateException on an external server, naming every missing or invalid variable
   */
  static EntraDirectory of(AzurePostgres server, EntraTokenSource tokens) {
    return AzureEntraDirectory.choose(server, System.getenv(), tokens, EntraEmulation::install);
  }
}
