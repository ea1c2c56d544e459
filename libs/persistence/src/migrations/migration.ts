/** One versioned schema change. Statements run in order; versions are applied once, ascending. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}
