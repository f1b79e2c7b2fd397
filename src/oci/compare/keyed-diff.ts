/**
 * The smallest piece of every comparison: two string-keyed collections (annotations, labels,
 * environment variables, exposed ports, volumes) set side by side, key by key. "Added" always
 * means present in B and not in A, "removed" the reverse: the page reads A → B, like `diff A B`.
 */

/** How one key, field or entry differs from A to B. */
export type ChangeStatus = 'same' | 'added' | 'removed' | 'changed';

export interface KeyedChange<T> {
  key: string;
  status: ChangeStatus;
  /** The value in A; absent when the key is only in B. */
  a?: T;
  /** The value in B; absent when the key is only in A. */
  b?: T;
}

function statusOf<T>(a: T | undefined, b: T | undefined, inA: boolean, inB: boolean, equals: (x: T, y: T) => boolean): ChangeStatus {
  if (!inA) return 'added';
  if (!inB) return 'removed';
  return equals(a as T, b as T) ? 'same' : 'changed';
}

/**
 * Every key of either record, sorted in code-unit order (what `sort` prints in the C locale, so
 * label lists read the same in every browser), with its status.
 */
export function diffRecords<T>(
  a: Readonly<Record<string, T>> | undefined,
  b: Readonly<Record<string, T>> | undefined,
  equals: (x: T, y: T) => boolean = Object.is,
): KeyedChange<T>[] {
  const left = a ?? {};
  const right = b ?? {};
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort(byCodeUnit);
  return keys.map((key) => {
    const inA = Object.hasOwn(left, key);
    const inB = Object.hasOwn(right, key);
    const change: KeyedChange<T> = { key, status: statusOf(left[key], right[key], inA, inB, equals) };
    if (inA) change.a = left[key];
    if (inB) change.b = right[key];
    return change;
  });
}

/** Members of two sets (ports, volumes): same, added or removed; sorted like `diffRecords`. */
export function diffSets(a: readonly string[], b: readonly string[]): KeyedChange<string>[] {
  const left = new Set(a);
  const right = new Set(b);
  return [...new Set([...left, ...right])].sort(byCodeUnit).map((key) => {
    const status: ChangeStatus = !left.has(key) ? 'added' : !right.has(key) ? 'removed' : 'same';
    return { key, status, ...(left.has(key) && { a: key }), ...(right.has(key) && { b: key }) };
  });
}

/** How many entries differ at all. */
export function countChanged(changes: readonly { status: ChangeStatus }[]): number {
  let n = 0;
  for (const change of changes) if (change.status !== 'same') n++;
  return n;
}

/** Code-unit order, not locale order: stable across browsers and fast on long lists. */
export function byCodeUnit(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
