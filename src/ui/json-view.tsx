/**
 * A registry document as received, pretty-printed from its own tokens (key order, duplicate
 * keys and number spelling kept), with links decided by a linker. The raw bytes are one tab
 * away. Every string is rendered as text; only hrefs the linker vetted become links.
 */
import { useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { type Line, type LinePart, type Linker, duplicateKeys, parseJsonDocument, prettyLines } from '../oci/display/json-document';
import { groupDigits } from './format';
import { Tabs, type TabItem } from './tabs';

/** Beyond this many lines the browser slows; the rest is one click away. */
const INITIAL_LINES = 4000;

function Part({ part }: { part: LinePart }) {
  const className = `j-${part.kind}`;
  if (!part.link) return <span className={className}>{part.text}</span>;
  if (part.link.target === 'app') {
    return (
      <RouterLink className={className} to={part.link.href} title={part.link.title}>
        {part.text}
      </RouterLink>
    );
  }
  return (
    <a className={className} href={part.link.href} title={part.link.title} target="_blank" rel="noopener noreferrer nofollow">
      {part.text}
    </a>
  );
}

function PrettyLines({ lines }: { lines: Line[] }) {
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? lines : lines.slice(0, INITIAL_LINES);
  return (
    <>
      <pre className="json" data-testid="json-pretty">
        {shown.map((line, i) => (
          <div className="json-line" key={i}>
            <span className="ln" aria-hidden="true">
              {i + 1}
            </span>
            <span style={{ paddingLeft: `${line.depth * 2}ch` }}>
              {line.parts.map((part, j) => (
                <Part part={part} key={j} />
              ))}
            </span>
          </div>
        ))}
      </pre>
      {shown.length < lines.length && (
        <button type="button" onClick={() => setShowAll(true)}>
          Show all {groupDigits(lines.length)} lines
        </button>
      )}
    </>
  );
}

const VIEWS: readonly TabItem<'pretty' | 'raw'>[] = [
  { id: 'pretty', label: 'JSON' },
  { id: 'raw', label: 'Raw bytes' },
];

export function JsonView({ text, linker }: { text: string; linker: Linker }) {
  const [tab, setTab] = useState<'pretty' | 'raw'>('pretty');
  const parsed = useMemo(() => {
    try {
      const root = parseJsonDocument(text);
      return { lines: prettyLines(root, linker), duplicates: duplicateKeys(root) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [text, linker]);

  return (
    <section className="json-view">
      <Tabs tabs={VIEWS} selected={tab} onSelect={setTab} label="How the document is shown">
        {'error' in parsed && (
          <p className="warning" role="alert">
            Not valid JSON ({parsed.error}); showing the bytes as text.
          </p>
        )}
        {'duplicates' in parsed && parsed.duplicates && parsed.duplicates.length > 0 && (
          <p className="warning" role="alert">
            Duplicate keys ({parsed.duplicates.join(', ')}): parsers disagree on which value counts. Treat this document with suspicion.
          </p>
        )}
        {tab === 'raw' || !('lines' in parsed) ? (
          <pre className="json raw" data-testid="json-raw">
            {text}
          </pre>
        ) : (
          <PrettyLines lines={parsed.lines!} />
        )}
      </Tabs>
    </section>
  );
}
