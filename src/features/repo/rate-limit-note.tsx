/**
 * What the tag-detail gate is doing when the registry rate-limits: paused, until when, how many
 * rows wait — and afterwards that it happened, so a slow page is never a mystery and no row is
 * silently left empty.
 */
import { useTagDetailGate } from '../../lib/queries/tags-query';
import { countOf } from '../../ui/format';

export function RateLimitNote({ registry }: { registry: string }) {
  const gate = useTagDetailGate(registry);
  if (gate.pausedUntil !== undefined) {
    return (
      <p className="warning" role="status" data-testid="rate-limit-note" data-state="paused">
        {registry} is rate-limiting requests (HTTP 429): reading tag details is paused until{' '}
        <time dateTime={new Date(gate.pausedUntil).toISOString()}>{new Date(gate.pausedUntil).toISOString().slice(11, 19)} UTC</time>, as it
        asked, then resumes; {countOf(gate.waiting, 'request')} waiting, none skipped.
      </p>
    );
  }
  if (gate.rateLimits === 0) return null;
  return (
    <p className="muted" role="status" data-testid="rate-limit-note" data-state="resumed">
      {registry} rate-limited these requests {countOf(gate.rateLimits, 'time')}; each time reading paused until it allowed more, then
      resumed.
    </p>
  );
}
