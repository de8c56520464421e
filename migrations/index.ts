import { InitialSchema1795461735262 } from './1795461735262-InitialSchema.js';

/** Every migration, in order. A landed migration is never edited: add a new one. */
export const MIGRATIONS = [InitialSchema1795461735262];
