/** What a path-form link (/fs/, /layers/, /sizes/, /size/) that does not parse gets: the input and why. */
export function InvalidLinkPanel({ title, input, message }: { title: string; input: string; message: string }) {
  return (
    <section className="error-panel" role="alert" data-testid="error" data-kind="invalid-reference">
      <h2>{title}</h2>
      <p>
        <code>{input}</code>
      </p>
      <p data-testid="error-message">{message}</p>
    </section>
  );
}
