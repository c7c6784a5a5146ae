/**
 * A registry's role assignment mode (RegistryProperties.roleAssignmentMode, azure-rest-api-specs containerregistry/…/
 * Registry/stable/2025-11-01) in which AcrPull, AcrPush and AcrDelete grant nothing: only the repository-scoped
 * roles do (Microsoft Learn, "Azure ABAC repository permissions in Azure Container Registry").
 */
export const ABAC_MODE = 'AbacRepositoryPermissions';
/** The repository-scoped role that pushes and pulls, the ABAC mode's counterpart of AcrPush. */
export const ABAC_PUSH_ROLE = 'Container Registry Repository Writer';

/** The role to give for a push the registry refused, by its role assignment mode; both when the mode is unknown. */
export function pushRoleAdvice(server: string, mode: string | undefined): string {
  if (mode === ABAC_MODE)
    return (
      `give the Azure identity the '${ABAC_PUSH_ROLE}' role on registry ${server}: its role assignment mode is ` +
      `${ABAC_MODE}, where AcrPush grants nothing`
    );
  if (mode !== undefined) return `give the Azure identity the AcrPush role on registry ${server}`;
  return (
    `give the Azure identity the AcrPush role on registry ${server}, or the '${ABAC_PUSH_ROLE}' role if its role ` +
    `assignment mode is ${ABAC_MODE} (which ignores AcrPush)`
  );
}
