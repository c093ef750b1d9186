/** The per-tenant counter behind KAiZEN's `RequestNo` ("KAiZEN-118"), owned by this surface. */
export interface RequestNumberRepository {
  /** The tenant's next number (1, 2, 3, …); never the same twice, even for concurrent callers. */
  next(tenantId: string): number;
}

export function formatRequestNo(number: number): string {
  return `KAiZEN-${number}`;
}
