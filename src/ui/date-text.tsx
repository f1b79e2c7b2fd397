/**
 * A registry-written date in words ("2 Dec 2026, 01:16 UTC (3 days ago)") with the exact value,
 * nanoseconds and all, on hover and in the `<time>` element. Text that is not a timestamp is
 * shown as written.
 */
import { describeDate } from './format';

export function DateText({ value, now = Date.now() }: { value: string; now?: number }) {
  const words = describeDate(value, now);
  if (words.iso === undefined) return <span>{value}</span>;
  return (
    <time dateTime={words.iso} title={words.exact} data-exact={words.exact}>
      {words.text}
    </time>
  );
}
