import { safeExternalUrl } from '../oci/display/external-url';
/**
 * Registry-controlled key/value pairs (annotations, labels). Keys and values are text; a value
 * becomes a link only when it is an http(s) URL.
 */

export function AnnotationsTable({
  title,
  entries,
  testId,
}: {
  title: string;
  entries: Record<string, string> | undefined;
  testId?: string;
}) {
  const rows = Object.entries(entries ?? {});
  if (rows.length === 0) return null;
  return (
    <section data-testid={testId}>
      <h3>{title}</h3>
      <table className="kv annotations">
        <tbody>
          {rows.map(([key, value]) => {
            const href = safeExternalUrl(value);
            return (
              <tr key={key}>
                <th>{key}</th>
                <td>
                  {href ? (
                    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
                      {value}
                    </a>
                  ) : (
                    value
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
