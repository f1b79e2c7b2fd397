/** What is wrong with a decoded document, said where it applies; nothing when all is well. */
export function ProblemNotes({ problems, testId }: { problems: string[]; testId?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className="warning supply-problems" data-testid={testId ?? 'supply-problems'}>
      {problems.slice(0, 50).map((p, i) => (
        <li key={i}>{p}</li>
      ))}
      {problems.length > 50 && <li>…and {problems.length - 50} more.</li>}
    </ul>
  );
}
