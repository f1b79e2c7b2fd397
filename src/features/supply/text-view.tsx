/** Text from a blob (YAML, plain text, a payload that is not JSON), rendered as text only. */
const MAX_CHARS = 2_000_000;

export function TextView({ text, testId }: { text: string; testId?: string }) {
  const shown = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  return (
    <>
      <pre className="text-view" data-testid={testId ?? 'text-view'}>
        {shown}
      </pre>
      {shown.length < text.length && <p className="muted small">Showing the first {MAX_CHARS.toLocaleString('en-US')} characters.</p>}
    </>
  );
}
