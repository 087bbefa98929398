/** What a credential may do. Writing (create, cancel) and reading (get, list, quota) are separate. */
export enum Permission {
  Read = 'read',
  Write = 'write',
}

export const PERMISSIONS: readonly Permission[] = Object.values(Permission);

/** Parses `read,write` as given to the CLI, or the names found in a token or an API key; unknown names are an error. */
export function parsePermissions(value: string | readonly unknown[]): Permission[] {
  const names = typeof value === 'string' ? value.split(',').map((name) => name.trim()) : value;
  return names.map((name) => {
    if (!PERMISSIONS.includes(name as Permission)) {
      throw new Error(`unknown permission ${JSON.stringify(name)}; expected ${PERMISSIONS.join(' or ')}`);
    }
    return name as Permission;
  });
}
