/**
 * in-toto Statements, v0.1 and v1 (in-toto/attestation spec/v0.1.0/statement.md and
 * spec/v1/statement.md, resource_descriptor.md): `_type`, `subject` (name, digest set; v1 adds
 * uri and other ResourceDescriptor fields), `predicateType` and `predicate`. The subject is what
 * the statement is about; the cross-check against the image we came from lives here too.
 */
import { isObject, stringField } from '../spec/descriptor';
import { type CrossCheck, type Target, compareDigests, digestOf } from './cross-check';

export const STATEMENT_V01 = 'https://in-toto.io/Statement/v0.1';
export const STATEMENT_V1 = 'https://in-toto.io/Statement/v1';

export interface StatementSubject {
  name?: string;
  uri?: string;
  /** The digest set, algorithm → hex, as written. */
  digestSet: Record<string, string>;
  /** `alg:hex` for each entry, lower-cased, for comparison with OCI digests. */
  digests: string[];
}

export interface InTotoStatement {
  version: 'v0.1' | 'v1' | 'unknown';
  type: string;
  subjects: StatementSubject[];
  predicateType?: string;
  predicate: unknown;
  problems: string[];
}

function readDigestSet(value: unknown, where: string, problems: string[]): Record<string, string> {
  if (!isObject(value)) {
    problems.push(`${where}.digest is not an object of algorithm → hex digest.`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [algorithm, hex] of Object.entries(value)) {
    if (typeof hex !== 'string') problems.push(`${where}.digest.${algorithm} is not a string.`);
    else out[algorithm] = hex;
  }
  return out;
}

function readSubject(value: unknown, i: number, problems: string[]): StatementSubject | undefined {
  const where = `subject[${i}]`;
  if (!isObject(value)) {
    problems.push(`${where} is not an object.`);
    return undefined;
  }
  const digestSet = value.digest === undefined ? {} : readDigestSet(value.digest, where, problems);
  const uri = stringField(value, 'uri');
  if (Object.keys(digestSet).length === 0 && uri === undefined) problems.push(`${where} names no digest.`);
  return {
    name: stringField(value, 'name'),
    uri,
    digestSet,
    digests: Object.entries(digestSet).map(([alg, hex]) => digestOf(alg, hex)),
  };
}

/** Reads a statement; a document that is not one still returns, with what is wrong. */
export function readStatement(json: unknown): InTotoStatement {
  if (!isObject(json))
    return { version: 'unknown', type: '', subjects: [], predicate: undefined, problems: ['The statement is not a JSON object.'] };
  const problems: string[] = [];
  const type = stringField(json, '_type') ?? '';
  const version = type === STATEMENT_V01 ? 'v0.1' : type === STATEMENT_V1 ? 'v1' : 'unknown';
  if (version === 'unknown') {
    problems.push(
      type
        ? `_type is ${JSON.stringify(type)}, not an in-toto Statement type this viewer knows (v0.1 or v1).`
        : 'The document has no _type: it is not an in-toto Statement.',
    );
  }
  const subjects: StatementSubject[] = [];
  if (!Array.isArray(json.subject)) problems.push('The statement has no subject list.');
  else
    json.subject.forEach((s: unknown, i: number) => {
      const subject = readSubject(s, i, problems);
      if (subject) subjects.push(subject);
    });
  const predicateType = stringField(json, 'predicateType');
  if (!predicateType) problems.push('The statement has no predicateType.');
  return { version, type, subjects, predicateType, predicate: json.predicate, problems };
}

/** Whether one of the statement's subjects is the image we came from. */
export function checkStatementSubject(statement: InTotoStatement, target: Target | undefined): CrossCheck {
  return compareDigests(
    'subject digest',
    statement.subjects.flatMap((s) => s.digests),
    target,
  );
}
