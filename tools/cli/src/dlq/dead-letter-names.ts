/**
 * The kind of a reason: its numbers replaced by `N`, so that `message too large: 5034 bytes` and
 * `message too large: 6001 bytes` count together.
 */
export function reasonKind(reason: string): string {
  return reason.replace(/\d+(\.\d+)?/g, 'N');
}

/** `partition:offset` → its parts; throws on anything else. */
export function parsePosition(text: string): { partition: number; offset: string } {
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match) throw new Error(`a dead letter is named partition:offset, like 0:42; got ${JSON.stringify(text)}`);
  return { partition: Number(match[1]), offset: match[2] };
}
