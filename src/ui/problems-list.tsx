/** Things wrong with a document that did not stop it from being shown. */
export function ProblemsList({ problems }: { problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <section className="warning" role="alert" data-testid="problems">
      <h3>This document does not follow the specification</h3>
      <ul>
        {problems.slice(0, 50).map((p, i) => (
          <li key={i}>{p}</li>
        ))}
      </ul>
      {problems.length > 50 && <p>…and {problems.length - 50} more.</p>}
    </section>
  );
}
