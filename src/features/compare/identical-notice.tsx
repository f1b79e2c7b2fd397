/**
 * Two references that name one digest: the same content, whatever the references look like. Said
 * plainly — unless what arrived for that digest failed its proof, which is said instead.
 */
export function IdenticalNotice({ digest, trusted }: { digest: string; trusted: boolean }) {
  return (
    <section className="compare-section identical" data-testid="identical">
      <h2>Identical</h2>
      {trusted ? (
        <p>
          Both references name <code>{digest}</code>: the same content, so there is nothing to tell apart. Every platform, config, layer and
          file is the same.
        </p>
      ) : (
        <p className="warning">
          Both references name <code>{digest}</code>, but what was received for it failed verification (see the cards above): the name is
          the same, the bytes served for it cannot be trusted.
        </p>
      )}
    </section>
  );
}
