import type { PageDefinition } from './page';

/**
 * Every page of every area, found at build time: an area adds `web/src/pages/<area>/index.ts`
 * exporting `pages`, and nothing here changes. Only the small definitions are bundled eagerly;
 * each page's own code is a separate chunk loaded when it is opened.
 */
const areas = import.meta.glob<{ pages: PageDefinition[] }>('../pages/*/index.ts', { eager: true });

export const PAGES: readonly PageDefinition[] = Object.values(areas)
  .flatMap((area) => area.pages)
  .sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));

/** The pages a person with these roles (at an organisation of this kind) may open, in navigation order. */
export function pagesFor(roles: readonly string[], organizationKind?: string): PageDefinition[] {
  return PAGES.filter((page) => page.roles.some((role) => roles.includes(role)) && (!page.organizationKinds || (organizationKind !== undefined && page.organizationKinds.includes(organizationKind))));
}
