/**
 * When each chunk of a replay may start, as a delay from now, so the replay re-erases at most `idsPerSecond`
 * ids per second on average (docs/ARCHITECTURE.md, "Store replay"): a chunk waits for the ids of the chunks
 * before it. Over any window of `t` seconds at most `idsPerSecond * t` ids plus one chunk start.
 */
export function throttleDelaysMs(chunkSizes: readonly number[], idsPerSecond: number): number[] {
  if (!(idsPerSecond > 0)) throw new RangeError(`idsPerSecond must be positive (got ${idsPerSecond})`);
  let idsBefore = 0;
  return chunkSizes.map((size) => {
    const delay = Math.floor((idsBefore * 1000) / idsPerSecond);
    idsBefore += size;
    return delay;
  });
}
