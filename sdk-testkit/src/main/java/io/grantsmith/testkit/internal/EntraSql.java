package io.grantsmith.testkit.internal;

/**
 * The SQL of the Microsoft Entra emulation: Azure's {@code pgaadauth} functions, written in
 * PL/pgSQL over a catalog table of principals, installed by a superuser in the {@code postgres}
 * database. The functions are SECURITY DEFINER, owned by {@code azuresu}, with a fixed {@code
 * search_path}; only members of {@code azure_pg_admin} may execute them, and they refuse callers
 * that are neither a superuser nor an Entra administrator (SQLSTATE 42501).
 */
public final class EntraSql {
  private EntraSql() {}

  /** The schema of the emulation's catalog tables; {@code pg_}, so setup and discovery skip it. */
  public static final String SCHEMA = "pg_aadauth_emulation";

  /** The database the functions and tables live in, as Azure's extension does. */
  public static final String DATABASE = "postgres";

  /** The tenant id the emulation reports for every principal. */
  public static final String TENANT_ID = "00000000-0000-4000-8000-000000000000";

  /** The advisory lock key that serializes installations on one server. */
  static final long INSTALL_LOCK = 7_217_001_700L;

  /**
   * The installation, one script in one transaction, safe to run again.
   *
   * @return the SQL
   */
  public static String install() {
    return "SELECT pg_advisory_xact_lock("
        + INSTALL_LOCK
        + ");\n"
        + "SET LOCAL allow_system_table_mods = on;\n"
        + "CREATE SCHEMA IF NOT EXISTS "
        + SCHEMA
        + " AUTHORIZATION azuresu;\n"
        + "REVOKE ALL ON SCHEMA "
        + SCHEMA
        + " FROM PUBLIC;\n"
        + "GRANT USAGE ON SCHEMA "
        + SCHEMA
        + " TO PUBLIC;\n"
        // The principal-to-object-id mapping: Azure keeps it as a security label on the role.
        + "CREATE TABLE IF NOT EXISTS "
        + SCHEMA
        + ".principals (\n"
        + "  role_name text PRIMARY KEY,\n"
        + "  object_id uuid NOT NULL,\n"
        + "  object_type text NOT NULL CHECK (object_type IN ('user', 'group', 'service')),\n"
        + "  is_admin boolean NOT NULL,\n"
        + "  is_mfa boolean NOT NULL);\n"
        + "ALTER TABLE "
        + SCHEMA
        + ".principals OWNER TO azuresu;\n"
        + "REVOKE ALL ON "
        + SCHEMA
        + ".principals FROM PUBLIC;\n"
        + "GRANT SELECT ON "
        + SCHEMA
        + ".principals TO PUBLIC;\n"
        // What pgaadauth_create_principal finds by name: a stand-in for the Entra directory.
        + "CREATE TABLE IF NOT EXISTS "
        + SCHEMA
        + ".directory (\n"
        + "  display_name text PRIMARY KEY,\n"
        + "  object_id uuid NOT NULL,\n"
        + "  object_type text NOT NULL CHECK (object_type IN ('user', 'group', 'service')));\n"
        + "ALTER TABLE "
        + SCHEMA
        + ".directory OWNER TO azuresu;\n"
        + "REVOKE ALL ON "
        + SCHEMA
        + ".directory FROM PUBLIC;\n"
        + "CREATE OR REPLACE FUNCTION "
        + SCHEMA
        + ".may_create(caller name) RETURNS boolean\n"
        + "  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$\n"
        + "  SELECT coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = caller),"
        + " false)\n"
        + "      OR EXISTS (SELECT FROM "
        + SCHEMA
        + ".principals p JOIN pg_catalog.pg_roles r ON r.rolname = p.role_name\n"
        + "                 WHERE p.role_name = caller AND p.is_admin)\n"
        + "$f$;\n"
        + "ALTER FUNCTION "
        + SCHEMA
        + ".may_create(name) OWNER TO azuresu;\n"
        + "CREATE OR REPLACE FUNCTION pg_catalog.pgaadauth_create_principal_with_oid(\n"
        + "    roleName text, objectId text, objectType text, isAdmin boolean, isMfa boolean)\n"
        + "  RETURNS text LANGUAGE plpgsql SECURITY DEFINER"
        + " SET search_path = pg_catalog, pg_temp AS $f$\n"
        + "DECLARE\n"
        + "  oid_value uuid;\n"
        + "BEGIN\n"
        + "  IF roleName IS NULL OR objectId IS NULL OR objectType IS NULL OR isAdmin IS NULL"
        + " OR isMfa IS NULL THEN\n"
        + "    RAISE EXCEPTION 'pgaadauth_create_principal_with_oid: no argument may be null'"
        + " USING ERRCODE = '22004';\n"
        + "  END IF;\n"
        + "  IF NOT "
        + SCHEMA
        + ".may_create(session_user) THEN\n"
        + "    RAISE EXCEPTION 'only a Microsoft Entra administrator may create Entra roles'"
        + " USING ERRCODE = '42501';\n"
        + "  END IF;\n"
        + "  IF objectType NOT IN ('user', 'group', 'service') THEN\n"
        + "    RAISE EXCEPTION 'objectType must be user, group or service, not %', objectType"
        + " USING ERRCODE = '22023';\n"
        + "  END IF;\n"
        + "  oid_value := objectId::uuid;\n"
        + "  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = roleName) THEN\n"
        + "    RAISE EXCEPTION 'role \"%\" already exists', roleName USING ERRCODE = '42710';\n"
        + "  END IF;\n"
        + "  IF isAdmin THEN\n"
        + "    EXECUTE format('CREATE ROLE %I WITH LOGIN INHERIT CREATEROLE CREATEDB', roleName);\n"
        + "    EXECUTE format('GRANT azure_pg_admin TO %I', roleName);\n"
        + "  ELSE\n"
        + "    EXECUTE format('CREATE ROLE %I WITH LOGIN INHERIT', roleName);\n"
        + "  END IF;\n"
        + "  INSERT INTO "
        + SCHEMA
        + ".principals AS p VALUES (roleName, oid_value, objectType, isAdmin, isMfa)\n"
        + "    ON CONFLICT (role_name) DO UPDATE SET object_id = EXCLUDED.object_id,\n"
        + "      object_type = EXCLUDED.object_type, is_admin = EXCLUDED.is_admin,"
        + " is_mfa = EXCLUDED.is_mfa;\n"
        + "  RETURN 'Created role for ' || roleName;\n"
        + "END\n"
        + "$f$;\n"
        + "CREATE OR REPLACE FUNCTION pg_catalog.pgaadauth_create_principal(\n"
        + "    roleName text, isAdmin boolean, isMfa boolean)\n"
        + "  RETURNS text LANGUAGE plpgsql SECURITY DEFINER"
        + " SET search_path = pg_catalog, pg_temp AS $f$\n"
        + "DECLARE\n"
        + "  entry record;\n"
        + "BEGIN\n"
        + "  SELECT object_id, object_type INTO entry FROM "
        + SCHEMA
        + ".directory\n"
        + "    WHERE display_name = roleName;\n"
        + "  IF NOT FOUND THEN\n"
        + "    RAISE EXCEPTION 'no Microsoft Entra principal is named %', roleName"
        + " USING ERRCODE = '42704';\n"
        + "  END IF;\n"
        + "  RETURN pg_catalog.pgaadauth_create_principal_with_oid(\n"
        + "    roleName, entry.object_id::text, entry.object_type, isAdmin, isMfa);\n"
        + "END\n"
        + "$f$;\n"
        + "CREATE OR REPLACE FUNCTION pg_catalog.pgaadauth_list_principals(isAdmin boolean)\n"
        + "  RETURNS TABLE (rolname text, principaltype text, objectid text, tenantid text,"
        + " ismfa integer, isadmin integer)\n"
        + "  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$\n"
        + "  SELECT p.role_name, p.object_type, p.object_id::text, '"
        + TENANT_ID
        + "',\n"
        + "         p.is_mfa::integer, p.is_admin::integer\n"
        + "    FROM "
        + SCHEMA
        + ".principals p JOIN pg_catalog.pg_roles r ON r.rolname = p.role_name\n"
        + "   WHERE NOT isAdmin OR p.is_admin\n"
        + "   ORDER BY p.role_name\n"
        + "$f$;\n"
        + "ALTER FUNCTION pg_catalog.pgaadauth_create_principal_with_oid("
        + "text, text, text, boolean, boolean) OWNER TO azuresu;\n"
        + "ALTER FUNCTION pg_catalog.pgaadauth_create_principal(text, boolean, boolean)"
        + " OWNER TO azuresu;\n"
        + "ALTER FUNCTION pg_catalog.pgaadauth_list_principals(boolean) OWNER TO azuresu;\n"
        + "REVOKE ALL ON FUNCTION pg_catalog.pgaadauth_create_principal_with_oid("
        + "text, text, text, boolean, boolean),\n"
        + "  pg_catalog.pgaadauth_create_principal(text, boolean, boolean),\n"
        + "  pg_catalog.pgaadauth_list_principals(boolean),\n"
        + "  "
        + SCHEMA
        + ".may_create(name) FROM PUBLIC;\n"
        + "GRANT EXECUTE ON FUNCTION pg_catalog.pgaadauth_create_principal_with_oid("
        + "text, text, text, boolean, boolean),\n"
        + "  pg_catalog.pgaadauth_create_principal(text, boolean, boolean),\n"
        + "  pg_catalog.pgaadauth_list_principals(boolean) TO azure_pg_admin;\n";
  }
}
