import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Stored {
  payload: AdapterPayload;
  expiresAt: number;
}

/**
 * In-memory storage for the development provider's sessions, codes and tokens (oidc-provider's
 * Adapter interface). A restart signs everyone out of the development provider, which is fine:
 * it exists only on a developer's machine. Expired entries are dropped when touched and swept
 * when the store grows.
 */
export class DevIdpMemoryStore {
  private readonly entries = new Map<string, Stored>();
  private readonly index = new Map<string, string>();

  adapterFor = (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    return {
      upsert: async (id, payload, expiresIn) => {
        this.sweep();
        this.entries.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
        if (payload.grantId) this.index.set(`grant:${payload.grantId}:${key(id)}`, key(id));
        if (payload.uid) this.index.set(`uid:${payload.uid}`, key(id));
        if (payload.userCode) this.index.set(`userCode:${payload.userCode}`, key(id));
      },
      find: async (id) => this.read(key(id)),
      findByUid: async (uid) => this.read(this.index.get(`uid:${uid}`)),
      findByUserCode: async (userCode) => this.read(this.index.get(`userCode:${userCode}`)),
      consume: async (id) => {
        const stored = this.entries.get(key(id));
        if (stored) stored.payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        this.entries.delete(key(id));
      },
      revokeByGrantId: async (grantId) => {
        const prefix = `grant:${grantId}:`;
        for (const [indexKey, entryKey] of this.index) {
          if (!indexKey.startsWith(prefix)) continue;
          this.entries.delete(entryKey);
          this.index.delete(indexKey);
        }
      },
    };
  };

  private read(entryKey: string | undefined): AdapterPayload | undefined {
    if (!entryKey) return undefined;
    const stored = this.entries.get(entryKey);
    if (!stored) return undefined;
    if (stored.expiresAt <= Date.now()) {
      this.entries.delete(entryKey);
      return undefined;
    }
    return stored.payload;
  }

  private sweep(): void {
    if (this.entries.size < 5_000) return;
    const now = Date.now();
    for (const [entryKey, stored] of this.entries) if (stored.expiresAt <= now) this.entries.delete(entryKey);
    for (const [indexKey, entryKey] of this.index) if (!this.entries.has(entryKey)) this.index.delete(indexKey);
  }
}
