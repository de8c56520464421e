import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** The transaction a repository call runs in. Repositories take it; services pass it along. */
export type Tx = EntityManager;

/**
 * The one way to open a transaction (CONVENTIONS rule 5). A disclosure and its audit record are
 * written through the same Tx, so they commit together or not at all (C17).
 */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('READ COMMITTED', work);
  }
}
