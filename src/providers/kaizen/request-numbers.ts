/** KAiZEN's `RequestNo` ("KAiZEN-118"): the tenant's counter (`tx.kaizenRequestNumbers`), formatted. */
export function formatRequestNo(number: number): string {
  return `KAiZEN-${number}`;
}
